using Harness.Training;

namespace Harness.Tracking;

/// <summary>Judges a run's <see cref="TrainingOutcome"/> from its own <c>metrics.csv</c>: every epoch, resumed ones included.</summary>
public static class RunJudgement
{
    /// <summary>
    /// The verdict of the run whose per-epoch file is <paramref name="metricsCsv"/>, against <paramref name="chance"/>;
    /// null when the file has no epoch. Files written before the probe existed have no logit spread (NaN: not judged on it).
    /// </summary>
    public static TrainingVerdict? Judge(string metricsCsv, double chance)
    {
        if (!File.Exists(metricsCsv)) return null;
        var table = TidyCsv.Read(metricsCsv);
        if (!table.Has(MetricColumns.TrainAccuracy)) return null;
        bool spread = table.Has(MetricColumns.LogitSpread);
        var epochs = Enumerable.Range(0, table.Rows.Count)
            .Select(i => ((int)table.Number(i, MetricColumns.Epoch), table.Number(i, MetricColumns.TrainAccuracy),
                spread ? table.Number(i, MetricColumns.LogitSpread) : double.NaN))
            .OrderBy(e => e.Item1)
            .ToArray();
        return TrainingOutcomeRules.Judge(epochs, chance, PeakRunningAccuracy(table));
    }

    /// <summary>
    /// The highest running (training-mode) accuracy over a run's epochs in its per-epoch <paramref name="table"/>; NaN
    /// without the column or a value. A run stuck by its clean accuracy that fit in training mode shows here.
    /// </summary>
    public static double PeakRunningAccuracy(TidyTable table) =>
        table.Has(MetricColumns.TrainAccuracyRunning)
            ? Enumerable.Range(0, table.Rows.Count).Select(i => table.Number(i, MetricColumns.TrainAccuracyRunning)).Where(v => !double.IsNaN(v)).DefaultIfEmpty(double.NaN).Max()
            : double.NaN;
}
