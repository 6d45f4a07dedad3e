using Harness.Training;

namespace Harness.Tracking;

/// <summary>
/// The source of truth: each run's <c>metrics.csv</c>, one row per epoch, appended and flushed to disk as each
/// epoch ends, so a killed process loses at most the epoch in flight. Also keeps <c>status.json</c> current.
/// </summary>
/// <param name="layout">Where the experiment's files live.</param>
public sealed class CsvMetricSink(ResultsLayout layout) : IMetricSink
{
    /// <inheritdoc />
    public void RunStarted(RunRecord run)
    {
        string id = run.Spec.RunId;
        Directory.CreateDirectory(layout.RunDirectory(id));
        RunRecordYaml.Write(layout.RunYaml(id), run);
        TrimToEpoch(layout.RunMetricsCsv(id), run.ResumedFromEpoch);
        RunStatusFile.Write(layout.RunStatusJson(id), RunStatusFile.Now(RunState.Running, run.ResumedFromEpoch, run.Spec.Epochs));
    }

    /// <inheritdoc />
    public void EpochCompleted(RunRecord run, EpochMetrics metrics)
    {
        string path = layout.RunMetricsCsv(run.Spec.RunId);
        var measures = MetricColumns.Measures(metrics);
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
        using (var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read))
        using (var writer = new StreamWriter(stream))
        {
            if (fresh) writer.Write(TidyCsv.Line([MetricColumns.Epoch, .. measures.Select(m => m.Key)]) + "\n");
            writer.Write(TidyCsv.Line([metrics.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), .. measures.Select(m => TidyCsv.Format(m.Value))]) + "\n");
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        RunStatusFile.Write(layout.RunStatusJson(run.Spec.RunId), RunStatusFile.Now(RunState.Running, metrics.Epoch, run.Spec.Epochs));
    }

    /// <inheritdoc />
    public void RunEnded(RunRecord run, RunOutcome outcome) =>
        RunStatusFile.Write(layout.RunStatusJson(run.Spec.RunId),
            RunStatusFile.Now(outcome.State, outcome.EpochsCompleted, run.Spec.Epochs, outcome.Reason, outcome.ErrorSummary, outcome.Verdict));

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

    /// <inheritdoc />
    public void Dispose() { }
}
