using System.Globalization;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// The report's tables: <c>summary.csv</c> (one row per group, run set and measure), <c>runs.csv</c> (one row per run),
/// <c>outcomes.csv</c> (training outcomes per group),
/// and the two tidy files the published R scripts read, <c>test_accuracy.csv</c> (comparison, test_accuracy) and
/// <c>training_accuracy.csv</c> (comparison, epoch, training.accuracy), both in percent as the published figures plot them.
/// </summary>
public static class ReportTables
{
    /// <summary>Columns of summary.csv.</summary>
    public static readonly IReadOnlyList<string> SummaryColumns =
        ["condition", "runs", "measure", "n", "mean", "sd", "median", "min", "max", "ci_low", "ci_high", "method"];

    /// <summary>Columns of outcomes.csv.</summary>
    public static readonly IReadOnlyList<string> OutcomeColumns =
        ["group", "condition", "finished", "learned", "stuck_at_chance", "collapsed", "not_judged", "collapse_epochs",
         "stuck_run_ids", "collapsed_run_ids", "stuck_notes"];

    /// <summary>Columns of runs.csv.</summary>
    public static readonly IReadOnlyList<string> RunColumns =
    [
        "run_id", "group", "condition", "architecture", "color_mode", "seed", "state", "included", "outcome", "collapse_epoch",
        "chance_accuracy", "outcome_judged_by", "outcome_detail", "control", "control_fraction",
        "epochs_completed", "epochs_planned", "final_test_accuracy", "peak_test_accuracy", "peak_epoch", "final_train_accuracy",
        "final_train_accuracy_running", "generalization_gap", "memorized", "memorization_epoch", "last_epoch", "drop_from_peak",
        "final_confidence_correct", "final_confidence_wrong", "final_ece", "final_dead_unit_fraction", "final_logit_spread",
    ];

    private static string F(double v) => TidyCsv.Format(v);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes summary.csv: each group and measure twice, over all finished runs (<c>runs = all</c>) and over those that learned (<c>learned</c>).</summary>
    public static void WriteSummary(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, SummaryColumns, analysis.Summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Group, Label(s.Runs), s.Measure, I(s.Summary.N), F(s.Summary.Mean), F(s.Summary.Sd), F(s.Summary.Median), F(s.Summary.Min),
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
                m.Outcome?.Label ?? "", m.Outcome?.CollapseEpoch is int c ? I(c) : "", m.Outcome is { } o ? F(o.ChanceAccuracy) : "",
                m.Outcome is null ? "" : m.Outcome.JudgedByReport ? "report" : "status.json", m.Outcome?.Detail ?? "",
                m.Control ?? "", m.ControlFraction is double p ? F(p) : "", I(m.EpochsCompleted), I(m.EpochsPlanned),
                F(m.FinalTestAccuracy), F(m.PeakTestAccuracy), I(m.PeakEpoch), F(m.FinalTrainAccuracy),
                F(m.FinalTrainAccuracyRunning), F(m.GeneralizationGap),
                m.Memorized ? "true" : "false", m.MemorizationEpoch is int e ? I(e) : "", I(m.LastEpoch), F(m.DropFromPeak),
                F(m.FinalConfidenceCorrect), F(m.FinalConfidenceWrong), F(m.FinalEce), F(m.FinalDeadUnitFraction), F(m.FinalLogitSpread),
            ];
        }));

    /// <summary>
    /// Writes outcomes.csv: per group, how many finished runs learned, were stuck at chance or collapsed (epochs, run ids
    /// and the notes of stuck runs separated by ';', in the order of their run ids; a stuck run without a note has an empty one).
    /// </summary>
    public static void WriteOutcomes(ExperimentAnalysis analysis, string path) =>
        TidyCsv.Write(path, OutcomeColumns, analysis.Groups.Select(g =>
        {
            var stuck = g.With(TrainingOutcome.StuckAtChance);
            var collapsed = g.With(TrainingOutcome.Collapsed);
            return (IReadOnlyList<string>)
            [
                g.Key, g.Condition, I(g.Finished.Count), I(g.Learned.Count), I(stuck.Count), I(collapsed.Count), I(g.NotJudged.Count),
                string.Join(";", collapsed.Select(r => r.Measures.Outcome!.CollapseEpoch is int e ? I(e) : "")),
                string.Join(";", stuck.Select(r => r.Measures.RunId)), string.Join(";", collapsed.Select(r => r.Measures.RunId)),
                string.Join(";", stuck.Select(r => r.Measures.Outcome!.Note ?? "")),
            ];
        }));

    /// <summary>The file spelling of a run set: <c>all</c> or <c>learned</c>.</summary>
    public static string Label(RunSet runs) => runs == RunSet.All ? "all" : "learned";

    /// <summary>Writes test_accuracy.csv: one row per finished run whatever its outcome (runs.csv says which learned), final test accuracy in percent.</summary>
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
