namespace Harness.Execution;

/// <summary>
/// What one <c>harness submit --slurm</c> hands to Slurm: the experiment, where its files go, the exact harness
/// command each task runs, and how many runs are left to train. Every path is absolute, so the scripts work from
/// any folder and can be submitted again by hand.
/// </summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="SpecPath">The experiment's YAML file.</param>
/// <param name="ResultsRoot">Root folder of all results (<c>--results</c>).</param>
/// <param name="ExperimentDirectory">The experiment's results folder, <c>ROOT/EXP</c>.</param>
/// <param name="Overrides">The <c>--set key=value</c> overrides, passed on unchanged.</param>
/// <param name="WorkingDirectory">The folder the tasks run in (the submitting shell's).</param>
/// <param name="Harness">The command that runs this build of the harness, e.g. <c>[/usr/bin/dotnet, /abs/Harness.Cli.dll]</c>.</param>
/// <param name="PlannedRuns">Runs in the plan.</param>
/// <param name="RunsToTrain">Runs the array is sized for (the unfinished ones, unless told otherwise).</param>
public sealed record SlurmSweep(
    string Experiment,
    string SpecPath,
    string ResultsRoot,
    string ExperimentDirectory,
    IReadOnlyList<string> Overrides,
    string WorkingDirectory,
    IReadOnlyList<string> Harness,
    int PlannedRuns,
    int RunsToTrain)
{
    /// <summary>Folder of the scripts and the tasks' logs, <c>ROOT/EXP/slurm</c>.</summary>
    public string SlurmDirectory => Path.Combine(ExperimentDirectory, "slurm");

    /// <summary>The training array's script.</summary>
    public string TrainScriptPath => Path.Combine(SlurmDirectory, "train.sbatch");

    /// <summary>The dependent report job's script.</summary>
    public string ReportScriptPath => Path.Combine(SlurmDirectory, "report.sbatch");

    /// <summary>Append-only record of every submission (time, job ids).</summary>
    public string SubmissionsLog => Path.Combine(SlurmDirectory, "submissions.log");

    /// <summary>Array tasks needed so that every run to train has a task: ceil(runs / runs per task).</summary>
    public int Tasks(SlurmOptions options) => (RunsToTrain + options.RunsPerTask - 1) / options.RunsPerTask;
}
