using Harness.Training;

namespace Harness.Tracking;

/// <summary>
/// The one place that names the per-epoch CSV columns (snake_case, tidy: one row per run and epoch).
/// The primary (first) test set's measures are <c>test_loss</c>, <c>test_accuracy</c>, ...; every further
/// test set NAME adds <c>test_NAME_loss</c>, <c>test_NAME_accuracy</c>, ... The same names are MLflow's metric keys.
/// </summary>
public static class MetricColumns
{
    /// <summary>Columns identifying a run in the experiment-wide tidy file, before the measures.</summary>
    public static readonly IReadOnlyList<string> RunKeys =
        ["experiment", "condition", "architecture", "color_mode", "seed", "run_id"];

    /// <summary>The epoch column.</summary>
    public const string Epoch = "epoch";

    /// <summary>Fraction of the network's ReLU units dead on the probe batch (see <see cref="ActivationProbe"/>).</summary>
    public const string DeadUnitFraction = "dead_unit_fraction";

    /// <summary>SD across the probe batch of the top-two logit difference; 0 = constant outputs.</summary>
    public const string LogitSpread = "logit_spread";

    /// <summary>Clean training accuracy, the measure the run's outcome is judged on.</summary>
    public const string TrainAccuracy = "train_accuracy";

    /// <summary>Running mean of the training accuracy over the epoch's batches, in training mode.</summary>
    public const string TrainAccuracyRunning = "train_accuracy_running";

    /// <summary>Column prefix of a test set: <c>test</c> for the primary one, <c>test_NAME</c> for the others.</summary>
    public static string TestPrefix(int index, string name) => index == 0 ? "test" : $"test_{name}";

    /// <summary>The measures of one epoch as (column, value) pairs, in a fixed order.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Measures(EpochMetrics m)
    {
        var row = new List<KeyValuePair<string, double>>
        {
            new("train_loss_running", m.TrainLossRunning),
            new(TrainAccuracyRunning, m.TrainAccuracyRunning),
            new("train_loss", m.TrainLoss),
            new(TrainAccuracy, m.TrainAccuracy),
        };
        for (int i = 0; i < m.Tests.Count; i++)
        {
            var t = m.Tests[i];
            string p = TestPrefix(i, t.Name);
            row.Add(new($"{p}_loss", t.Loss));
            row.Add(new($"{p}_accuracy", t.Accuracy));
            row.Add(new($"{p}_confidence_correct", t.MeanConfidenceCorrect));
            row.Add(new($"{p}_confidence_wrong", t.MeanConfidenceWrong));
            row.Add(new($"{p}_ece", t.ExpectedCalibrationError));
        }
        row.Add(new(DeadUnitFraction, m.Probe?.DeadUnitFraction ?? double.NaN));
        row.Add(new(LogitSpread, m.Probe?.LogitSpread ?? double.NaN));
        row.Add(new("learning_rate", m.LearningRate));
        row.Add(new("epoch_seconds", m.Seconds));
        return row;
    }
}
