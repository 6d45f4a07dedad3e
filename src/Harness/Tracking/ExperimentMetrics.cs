using System.Globalization;

namespace Harness.Tracking;

/// <summary>
/// The experiment-wide tidy file <c>results/EXP/metrics.csv</c>: every run's rows with the columns
/// experiment, condition, architecture, color_mode, seed, run_id, epoch, then one column per measure.
/// Rebuilt from the runs' own files, so it can always be regenerated and never disagrees with them.
/// </summary>
public static class ExperimentMetrics
{
    /// <summary>One run's files as read back: its record and its per-epoch table.</summary>
    /// <param name="Record">run.yaml.</param>
    /// <param name="Metrics">metrics.csv (may have no rows yet).</param>
    /// <param name="Status">status.json, when present.</param>
    public sealed record RunFiles(RunRecord Record, TidyTable Metrics, RunStatus? Status);

    /// <summary>Every run folder that has a run.yaml, with its metrics and status.</summary>
    public static IReadOnlyList<RunFiles> ReadRuns(ResultsLayout layout)
    {
        var runs = new List<RunFiles>();
        foreach (var id in layout.RunIds())
        {
            if (!File.Exists(layout.RunYaml(id))) continue;
            var record = RunRecordYaml.Read(layout.RunYaml(id));
            string csv = layout.RunMetricsCsv(id);
            string? damage = null;
            var table = File.Exists(csv) ? TidyCsv.ReadSound(csv, out damage) : new TidyTable(csv, [], []);
            var status = RunStatusFile.TryRead(layout.RunStatusJson(id));
            // Cut-short metrics concern this run only: its sound rows are kept and it counts as interrupted, not finished.
            damage ??= RunFileCheck.Damage(layout, id);
            if (damage is not null && status is { State: RunState.Finished })
                status = status with { State = RunState.Interrupted, Reason = $"{damage}; {RunFileCheck.Advice}", Outcome = null };
            runs.Add(new RunFiles(record, table, status));
        }
        return runs;
    }

    /// <summary>
    /// Writes the union file (to <paramref name="path"/>, by default the experiment's own metrics.csv: a read-only
    /// results folder is reported elsewhere); measure columns are the union over runs in first-seen order. Returns its row count.
    /// </summary>
    public static int WriteUnion(ResultsLayout layout, string? path = null)
    {
        var runs = ReadRuns(layout);
        var measures = new List<string>();
        foreach (var run in runs)
            foreach (var c in run.Metrics.Columns)
                if (c != MetricColumns.Epoch && !measures.Contains(c)) measures.Add(c);
        var rows = new List<IReadOnlyList<string>>();
        foreach (var run in runs.OrderBy(r => r.Record.Spec.Condition, StringComparer.Ordinal)
                                .ThenBy(r => r.Record.Spec.Architecture, StringComparer.Ordinal)
                                .ThenBy(r => r.Record.Spec.Image.ColorMode.ToString(), StringComparer.Ordinal)
                                .ThenBy(r => r.Record.Spec.Seed))
        {
            var s = run.Record.Spec;
            for (int i = 0; i < run.Metrics.Rows.Count; i++)
            {
                var row = new List<string>
                {
                    s.Experiment, s.Condition, s.Architecture, s.Image.ColorMode.ToString(),
                    s.Seed.ToString(CultureInfo.InvariantCulture), s.RunId, run.Metrics.Text(i, MetricColumns.Epoch),
                };
                foreach (var m in measures) row.Add(run.Metrics.Has(m) ? run.Metrics.Text(i, m) : "");
                rows.Add(row);
            }
        }
        path ??= layout.MetricsCsv;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        TidyCsv.Write(path, [.. MetricColumns.RunKeys, MetricColumns.Epoch, .. measures], rows);
        return rows.Count;
    }
}
