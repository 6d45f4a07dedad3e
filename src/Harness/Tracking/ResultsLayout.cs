namespace Harness.Tracking;

/// <summary>
/// Where an experiment's files live: <c>ROOT/EXP/runs/RUN_ID/{run.yaml, metrics.csv, status.json, log.txt, checkpoint/}</c>,
/// the tidy union <c>ROOT/EXP/metrics.csv</c>, and the report under <c>ROOT/EXP/report/</c>.
/// </summary>
/// <param name="ExperimentDirectory">The experiment's folder, e.g. <c>results/snf7_vs_snap29</c>.</param>
public sealed record ResultsLayout(string ExperimentDirectory)
{
    /// <summary>The layout of experiment <paramref name="experiment"/> under a results root.</summary>
    public static ResultsLayout For(string resultsRoot, string experiment) => new(Path.Combine(resultsRoot, experiment));

    /// <summary>Folder holding one folder per run.</summary>
    public string RunsDirectory => Path.Combine(ExperimentDirectory, "runs");
    /// <summary>The experiment-wide tidy metrics file.</summary>
    public string MetricsCsv => Path.Combine(ExperimentDirectory, "metrics.csv");
    /// <summary>Report output folder.</summary>
    public string ReportDirectory => Path.Combine(ExperimentDirectory, "report");
    /// <summary>A run's folder.</summary>
    public string RunDirectory(string runId) => Path.Combine(RunsDirectory, runId);
    /// <summary>A run's resolved spec and provenance.</summary>
    public string RunYaml(string runId) => Path.Combine(RunDirectory(runId), "run.yaml");
    /// <summary>A run's per-epoch metrics.</summary>
    public string RunMetricsCsv(string runId) => Path.Combine(RunDirectory(runId), "metrics.csv");
    /// <summary>A run's status.</summary>
    public string RunStatusJson(string runId) => Path.Combine(RunDirectory(runId), "status.json");
    /// <summary>A run's log.</summary>
    public string RunLog(string runId) => Path.Combine(RunDirectory(runId), "log.txt");
    /// <summary>A run's checkpoint folder.</summary>
    public string RunCheckpointDirectory(string runId) => Path.Combine(RunDirectory(runId), "checkpoint");

    /// <summary>Ids of every run folder present, sorted.</summary>
    public IReadOnlyList<string> RunIds() =>
        Directory.Exists(RunsDirectory)
            ? Directory.GetDirectories(RunsDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
}
