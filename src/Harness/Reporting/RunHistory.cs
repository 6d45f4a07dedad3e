using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>A run's per-epoch curves as read from its <c>metrics.csv</c> (NaN where a column is missing or empty).</summary>
/// <param name="Epochs">Epoch numbers in file order.</param>
/// <param name="TrainAccuracy">Clean training accuracy (<c>train_accuracy</c>, evaluated after the epoch).</param>
/// <param name="TestAccuracy">Primary test set accuracy.</param>
/// <param name="TrainLoss">Clean training loss.</param>
/// <param name="TestLoss">Primary test set loss.</param>
/// <param name="RunningTrainAccuracy">
/// Running training accuracy (<c>train_accuracy_running</c>): the mean over the epoch's batches in training mode, the
/// number Keras reported and the published curves show.
/// </param>
public sealed record RunHistory(
    IReadOnlyList<int> Epochs,
    IReadOnlyList<double> TrainAccuracy,
    IReadOnlyList<double> TestAccuracy,
    IReadOnlyList<double> TrainLoss,
    IReadOnlyList<double> TestLoss,
    IReadOnlyList<double> RunningTrainAccuracy)
{
    /// <summary>Reads the curves from a run's metrics table.</summary>
    public static RunHistory From(TidyTable metrics)
    {
        int n = metrics.Has(MetricColumns.Epoch) ? metrics.Rows.Count : 0;
        double[] Column(string name) =>
            Enumerable.Range(0, n).Select(i => metrics.Has(name) ? metrics.Number(i, name) : double.NaN).ToArray();
        var epochs = Enumerable.Range(0, n).Select(i => (int)metrics.Number(i, MetricColumns.Epoch)).ToArray();
        return new RunHistory(epochs, Column("train_accuracy"), Column("test_accuracy"), Column("train_loss"), Column("test_loss"),
            Column(MetricColumns.TrainAccuracyRunning));
    }

    /// <summary>The value of a curve at an epoch, or NaN when the run has no such epoch.</summary>
    public static double At(RunHistory history, IReadOnlyList<double> curve, int epoch)
    {
        for (int i = 0; i < history.Epochs.Count; i++) if (history.Epochs[i] == epoch) return curve[i];
        return double.NaN;
    }
}
