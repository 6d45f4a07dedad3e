using Harness.Tracking;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// The per-run measures the report summarizes across seeds. Accuracies are fractions (0.62, not 62).
/// Runs without any epoch have NaN measures.
/// </summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Group">Grouping key: condition, plus architecture and colour mode when they vary in the experiment.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="ColorMode">Colour mode short name.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="State">Status from <c>status.json</c>, or <c>Missing</c> when there is none.</param>
/// <param name="EpochsCompleted">Epochs recorded in metrics.csv.</param>
/// <param name="EpochsPlanned">Epochs in the spec.</param>
/// <param name="FinalTestAccuracy">Test accuracy after the last epoch.</param>
/// <param name="PeakTestAccuracy">Highest test accuracy over epochs.</param>
/// <param name="PeakEpoch">Epoch of the peak (first one when tied); 0 without epochs.</param>
/// <param name="FinalTrainAccuracy">Clean training accuracy after the last epoch.</param>
/// <param name="GeneralizationGap">Final train minus final test accuracy.</param>
/// <param name="MemorizationEpoch">First epoch with train accuracy ≥ 1 − ε; null when never reached (censored).</param>
/// <param name="LastEpoch">Last observed epoch (the censoring time when <see cref="MemorizationEpoch"/> is null).</param>
/// <param name="DropFromPeak">Peak minus final test accuracy.</param>
/// <param name="FinalConfidenceCorrect">Mean confidence on correct test predictions, last epoch.</param>
/// <param name="FinalConfidenceWrong">Mean confidence on wrong test predictions, last epoch.</param>
/// <param name="FinalEce">Expected calibration error on the test set, last epoch.</param>
/// <param name="Control">Control kind, or null for true data.</param>
/// <param name="ControlFraction">Control fraction p (1 for controls other than corrupt_labels); null without a control.</param>
/// <param name="Outcome">A finished run's training outcome (learned, stuck at chance, collapsed); null for unfinished runs and runs that cannot be judged.</param>
/// <param name="FinalDeadUnitFraction">Fraction of dead ReLU units at the last epoch (NaN when the run has no probe column).</param>
/// <param name="FinalLogitSpread">Logit spread at the last epoch; 0 = constant outputs (NaN when the run has no probe column).</param>
/// <param name="FinalTrainAccuracyRunning">
/// Running (training-mode) training accuracy of the last epoch, the mean over its batches: what Keras reported as a
/// run's training accuracy, so what published training accuracies are (NaN when the run has no such column).
/// </param>
public sealed record RunMeasures(
    string RunId, string Group, string Condition, string Architecture, string ColorMode, int Seed, string State,
    int EpochsCompleted, int EpochsPlanned,
    double FinalTestAccuracy, double PeakTestAccuracy, int PeakEpoch, double FinalTrainAccuracy, double GeneralizationGap,
    int? MemorizationEpoch, int LastEpoch, double DropFromPeak,
    double FinalConfidenceCorrect, double FinalConfidenceWrong, double FinalEce,
    string? Control, double? ControlFraction,
    ReportedOutcome? Outcome = null, double FinalDeadUnitFraction = double.NaN, double FinalLogitSpread = double.NaN,
    double FinalTrainAccuracyRunning = double.NaN)
{
    /// <summary>The measure names summarized across seeds, in report order.</summary>
    public static readonly IReadOnlyList<string> MeasureNames =
    [
        "final_test_accuracy", "peak_test_accuracy", "peak_epoch", "final_train_accuracy", "final_train_accuracy_running",
        "generalization_gap", "memorization_epoch", "drop_from_peak", "final_confidence_correct", "final_confidence_wrong", "final_ece",
    ];

    /// <summary>Whether the run finished every epoch (only such runs enter statistics).</summary>
    public bool IsFinished => State == nameof(RunState.Finished);

    /// <summary>Whether the run finished and was judged <c>learned</c>.</summary>
    public bool Learned => IsFinished && Outcome?.Outcome == TrainingOutcome.Learned;

    /// <summary>Whether the run belongs to <paramref name="set"/>: every finished run, or the finished runs that learned.</summary>
    public bool IsIn(RunSet set) => set == RunSet.All ? IsFinished : Learned;

    /// <summary>Whether training accuracy reached the memorization threshold.</summary>
    public bool Memorized => MemorizationEpoch is not null;

    /// <summary>A measure by name (see <see cref="MeasureNames"/>); NaN for memorization_epoch when censored.</summary>
    public double Value(string measure) => measure switch
    {
        "final_test_accuracy" => FinalTestAccuracy,
        "peak_test_accuracy" => PeakTestAccuracy,
        "peak_epoch" => PeakEpoch > 0 ? PeakEpoch : double.NaN,
        "final_train_accuracy" => FinalTrainAccuracy,
        "final_train_accuracy_running" => FinalTrainAccuracyRunning,
        "generalization_gap" => GeneralizationGap,
        "memorization_epoch" => MemorizationEpoch ?? double.NaN,
        "drop_from_peak" => DropFromPeak,
        "final_confidence_correct" => FinalConfidenceCorrect,
        "final_confidence_wrong" => FinalConfidenceWrong,
        "final_ece" => FinalEce,
        _ => throw new ArgumentException($"unknown measure '{measure}'", nameof(measure)),
    };

    /// <summary>Computes a run's measures; <paramref name="epsilon"/> sets the memorization threshold 1 − ε.</summary>
    public static RunMeasures From(ExperimentMetrics.RunFiles run, string group, double epsilon)
    {
        var spec = run.Record.Spec;
        var h = RunHistory.From(run.Metrics);
        int n = h.Epochs.Count;
        double Last(IReadOnlyList<double> c) => n > 0 ? c[n - 1] : double.NaN;
        double LastColumn(string name) => n > 0 && run.Metrics.Has(name) ? run.Metrics.Number(n - 1, name) : double.NaN;

        double peak = double.NaN;
        int peakEpoch = 0;
        for (int i = 0; i < n; i++)
            if (!double.IsNaN(h.TestAccuracy[i]) && (double.IsNaN(peak) || h.TestAccuracy[i] > peak))
            {
                peak = h.TestAccuracy[i];
                peakEpoch = h.Epochs[i];
            }
        int? memorized = null;
        for (int i = 0; i < n && memorized is null; i++)
            if (h.TrainAccuracy[i] >= 1 - epsilon) memorized = h.Epochs[i];

        double finalTest = Last(h.TestAccuracy), finalTrain = Last(h.TrainAccuracy);
        return new RunMeasures(
            spec.RunId, group, spec.Condition, spec.Architecture, spec.Image.ColorMode.ToString(), spec.Seed,
            run.Status?.State.ToString() ?? "Missing", n, spec.Epochs,
            finalTest, peak, peakEpoch, finalTrain, finalTrain - finalTest, memorized, n > 0 ? h.Epochs[n - 1] : 0,
            peak - finalTest, LastColumn("test_confidence_correct"), LastColumn("test_confidence_wrong"), LastColumn("test_ece"),
            spec.Control?.Kind, spec.Control is null ? null : spec.Control.Kind == "corrupt_labels" ? spec.Control.Fraction : 1.0,
            // Only a finished run has an outcome: an interrupted one has not had the chance to learn or collapse.
            run.Status?.State == RunState.Finished ? ReportedOutcome.Of(run) : null,
            LastColumn(MetricColumns.DeadUnitFraction), LastColumn(MetricColumns.LogitSpread), Last(h.RunningTrainAccuracy));
    }
}
