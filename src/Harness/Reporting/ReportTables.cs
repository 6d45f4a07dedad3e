using System.Globalization;
using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>
/// The report's tables: <c>summary.csv</c> (one row per group and measure), <c>runs.csv</c> (one row per run),
/// and the two tidy files the published R scripts read, <c>test_accuracy.csv</c> (comparison, test_accuracy) and
/// <c>training_accuracy.csv</c> (comparison, epoch, training.accuracy), both in percent as the published figures plot them.
/// </summary>
public static class ReportTables
{
    /// <summary>Columns of summary.csv.</summary>
    public static readonly IReadOnlyList<string> SummaryColumns =
        ["condition", "measure", "n", "mean", "sd", "median", "min", "max", "ci_low", "ci_high", "method"];

    /// <summary>Columns of runs.csv.</summary>
    public static readonly IReadOnlyList<string> RunColumns =
    [
        "run_id", "group", "condition", "architecture", "color_mode", "seed", "state", "included", "control", "control_fraction",
        "epochs_completed", "epochs_planned", "final_test_accuracy", "peak_test_accuracy", "peak_epoch", "final_train_accuracy",
        "generalization_gap", "memorized", "memorization_epoch", "last_epoch", "drop_from_peak",
        "final_confidence_correct", "final_confidence_wrong", "final_ece",
    ];

    private static string F(double v) => TidyCsv.Format(v);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes summary.csv.</summary>
    public static void WriteSummary(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, SummaryColumns, analysis.Summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Group, s.Measure, I(s.Summary.N), F(s.Summary.Mean), F(s.Summary.Sd), F(s.Summary.Median), F(s.Summary.Min),
            F(s.Summary.Max), F(s.Summary.Ci?.Low ?? double.NaN), F(s.Summary.Ci?.High ?? double.NaN),
            s.Measure == "memorization_epoch" ? s.Summary.Method + "; runs that never memorized excluded" : s.Summary.Method,
        ]));

    /// <summary>Writes runs.csv, every run (finished or not) with its measures.</summary>
    public static void WriteRuns(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, RunColumns, analysis.Runs.Select(r =>
        {
            var m = r.Measures;
            return (IReadOnlyList<string>)
            [
                m.RunId, m.Group, m.Condition, m.Architecture, m.ColorMode, I(m.Seed), m.State, m.IsFinished ? "true" : "false",
                m.Control ?? "", m.ControlFraction is double p ? F(p) : "", I(m.EpochsCompleted), I(m.EpochsPlanned),
                F(m.FinalTestAccuracy), F(m.PeakTestAccuracy), I(m.PeakEpoch), F(m.FinalTrainAccuracy), F(m.GeneralizationGap),
                m.Memorized ? "true" : "false", m.MemorizationEpoch is int e ? I(e) : "", I(m.LastEpoch), F(m.DropFromPeak),
                F(m.FinalConfidenceCorrect), F(m.FinalConfidenceWrong), F(m.FinalEce),
            ];
        }));

    /// <summary>Writes test_accuracy.csv: one row per finished run, final test accuracy in percent.</summary>
    public static void WriteTestAccuracy(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, ["comparison", "test_accuracy"], analysis.Runs
            .Where(r => r.Measures.IsFinished && !double.IsNaN(r.Measures.FinalTestAccuracy))
            .Select(r => (IReadOnlyList<string>)[r.Measures.Group, F(Math.Round(r.Measures.FinalTestAccuracy * 100, 10))]));

    /// <summary>Writes training_accuracy.csv: one row per finished run and epoch, clean training accuracy in percent.</summary>
    public static void WriteTrainingAccuracy(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, ["comparison", "epoch", "training.accuracy"], analysis.Runs
            .Where(r => r.Measures.IsFinished)
            .SelectMany(r => r.History.Epochs.Select((e, i) => (Run: r, Epoch: e, Value: r.History.TrainAccuracy[i])))
            .Where(x => !double.IsNaN(x.Value))
            .Select(x => (IReadOnlyList<string>)[x.Run.Measures.Group, I(x.Epoch), F(Math.Round(x.Value * 100, 10))]));
}
