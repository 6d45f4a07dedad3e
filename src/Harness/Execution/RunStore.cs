using System.Globalization;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Execution;

/// <summary>
/// The files of a run that are the source of truth, and their one writer: <c>run.yaml</c>, <c>metrics.csv</c> (one
/// row per epoch, appended and flushed to disk as each epoch ends, so a killed process loses at most the epoch in
/// flight) and <c>status.json</c>. Mirrors (log, console, MLflow) are sinks; this is not one: a run whose files
/// cannot be written fails, while a failing mirror is only switched off.
/// </summary>
/// <param name="layout">Where the experiment's files live.</param>
public sealed class RunStore(ResultsLayout layout)
{
    /// <summary>A run starts or resumes: its record is written, metrics after its checkpoint's epoch dropped, its status set to running.</summary>
    public void Started(RunRecord run)
    {
        string id = run.Spec.RunId;
        Directory.CreateDirectory(layout.RunDirectory(id));
        RunRecordYaml.Write(layout.RunYaml(id), run);
        TrimToEpoch(layout.RunMetricsCsv(id), run.ResumedFromEpoch);
        WriteStatus(id, RunStatusFile.Now(RunState.Running, run.ResumedFromEpoch, run.Spec.Epochs));
    }

    /// <summary>Appends one epoch's row (with the header when the file is new) and moves the status on.</summary>
    public void EpochCompleted(RunRecord run, EpochMetrics metrics)
    {
        string path = layout.RunMetricsCsv(run.Spec.RunId);
        var measures = MetricColumns.Measures(metrics);
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
        using (var writer = new StreamWriter(stream))
        {
            if (fresh) writer.Write(TidyCsv.Line([MetricColumns.Epoch, .. measures.Select(m => m.Key)]) + "\n");
            writer.Write(TidyCsv.Line([metrics.Epoch.ToString(CultureInfo.InvariantCulture), .. measures.Select(m => TidyCsv.Format(m.Value))]) + "\n");
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        WriteStatus(run.Spec.RunId, RunStatusFile.Now(RunState.Running, metrics.Epoch, run.Spec.Epochs));
    }

    /// <summary>The run ended: finished (with its verdict), failed or interrupted.</summary>
    public void Ended(RunRecord run, RunOutcome outcome) =>
        WriteStatus(run.Spec.RunId, RunStatusFile.Now(outcome.State, outcome.EpochsCompleted, run.Spec.Epochs, outcome.Reason, outcome.ErrorSummary, outcome.Verdict));

    /// <summary>
    /// A run that ended before it could start (bad data, unknown device): its status says why, and its record is
    /// an earlier start's run.yaml or, without one, the spec and provenance alone (then written), so that mirrors
    /// show it failed like any other run. Its metrics are left as they are (an earlier start's rows stay).
    /// </summary>
    public RunRecord EndedBeforeStart(RunSpec spec, RunOutcome outcome, Func<RunRecord> known)
    {
        Directory.CreateDirectory(layout.RunDirectory(spec.RunId));
        WriteStatus(spec.RunId, RunStatusFile.Now(outcome.State, 0, spec.Epochs, outcome.Reason, outcome.ErrorSummary));
        string path = layout.RunYaml(spec.RunId);
        if (File.Exists(path))
        {
            try { return RunRecordYaml.Read(path); }
            catch (Exception e) when (e is IOException or InvalidDataException or YamlDotNet.Core.YamlException) { /* rewritten below */ }
        }
        var record = known();
        RunRecordYaml.Write(path, record);
        return record;
    }

    /// <summary>A damaged run brought back to a resumable state (see <see cref="RunRepair"/>): interrupted after <paramref name="epochs"/>, and why.</summary>
    public void Repaired(RunSpec run, int epochs, string reason) =>
        WriteStatus(run.RunId, RunStatusFile.Now(RunState.Interrupted, epochs, run.Epochs, reason));

    private void WriteStatus(string runId, RunStatus status) => RunStatusFile.Write(layout.RunStatusJson(runId), status);

    /// <summary>Drops rows after <paramref name="epoch"/> (a resumed run re-trains them), keeping the header.</summary>
    private static void TrimToEpoch(string path, int epoch)
    {
        if (!File.Exists(path)) return;
        var table = TidyCsv.Read(path);
        var keep = table.Rows.Where((_, i) => table.Number(i, MetricColumns.Epoch) <= epoch).ToArray();
        if (keep.Length == table.Rows.Count) return;
        if (epoch == 0) { File.Delete(path); return; }
        TidyCsv.Write(path, table.Columns, keep);
    }
}
