using System.Globalization;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// A finished run's training outcome as the report uses it: read from <c>status.json</c> when the run recorded one,
/// otherwise judged by the report from the run's own metrics.csv with the same rules (<see cref="TrainingOutcomeRules"/>),
/// so runs finished by a build older than the outcome still get one.
/// </summary>
/// <param name="Outcome">Learned, stuck at chance or collapsed.</param>
/// <param name="CollapseEpoch">The epoch a collapsed run fell back to chance.</param>
/// <param name="ChanceAccuracy">The chance level it was judged against (NaN when status.json did not record it).</param>
/// <param name="Detail">Why, in one sentence.</param>
/// <param name="JudgedByReport">True when the report judged the run (no outcome in status.json).</param>
/// <param name="ChanceBasis">Where the chance level comes from, in words (see the constants of this type).</param>
public sealed record ReportedOutcome(
    TrainingOutcome Outcome, int? CollapseEpoch, double ChanceAccuracy, string Detail, bool JudgedByReport, string ChanceBasis)
{
    /// <summary>Chance level as recorded by the run itself in status.json.</summary>
    public const string ChanceFromStatus = "recorded by the run";

    /// <summary>Chance level from the per-class training counts in run.yaml's data notes.</summary>
    public const string ChanceFromCounts = "majority share of the training labels";

    /// <summary>Chance level from the number of class names in run.yaml (exact for balanced training sets only).</summary>
    public const string ChanceFromClasses = "1 / number of classes";

    /// <summary>The outcome as written in files: <c>learned</c>, <c>stuck_at_chance</c>, <c>collapsed</c>.</summary>
    public string Label => TrainingOutcomeRules.Label(Outcome);

    /// <summary>The note of a stuck run that fit only in training mode (<see cref="TrainingOutcomeRules.TrainingModeOnlyMargin"/>).</summary>
    public const string TrainingModeOnly = "fit only in training mode";

    /// <summary>The note of a collapsed run whose training accuracy was back at the collapse threshold by its last epoch.</summary>
    public const string RecoveredNote = "recovered";

    /// <summary>A collapsed run whose detail says it recovered (<see cref="TrainingOutcomeRules.AfterCollapse"/>).</summary>
    public bool Recovered => Outcome == TrainingOutcome.Collapsed && Detail.Contains(TrainingOutcomeRules.RecoveredWords, StringComparison.Ordinal);

    /// <summary>The note of a stuck run whose training accuracy rose, but whose outputs ended constant.</summary>
    public const string ConstantOutputs = "had constant outputs";

    /// <summary>
    /// What sets a run stuck at chance or collapsed apart, read from its <see cref="Detail"/> (the rules' own sentence, in
    /// status.json or the report's judgement): <see cref="TrainingModeOnly"/> or <see cref="ConstantOutputs"/> for a stuck
    /// run, <see cref="RecoveredNote"/> for a collapsed one; null for any other run, a stuck run that simply never left
    /// chance included. Past tense, so that it reads after a count ("2 fit only ...").
    /// </summary>
    public string? Note =>
        Outcome == TrainingOutcome.Collapsed ? (Recovered ? RecoveredNote : null)
        : Outcome != TrainingOutcome.StuckAtChance ? null
        : Detail.Contains(TrainingOutcomeRules.TrainingModeOnlyWords, StringComparison.Ordinal) ? TrainingModeOnly
        : Detail.StartsWith(TrainingOutcomeRules.ConstantOutputsWords, StringComparison.Ordinal) ? ConstantOutputs
        : null;

    /// <summary>A count of runs followed by how many of them carry each note: "3 (2 fit only in training mode, 1 had constant outputs)".</summary>
    public static string CountWithNotes(IReadOnlyCollection<ReportedOutcome?> outcomes)
    {
        var notes = outcomes.Select(o => o?.Note).OfType<string>().GroupBy(n => n).OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => $"{n.Count().ToString(CultureInfo.InvariantCulture)} {n.Key}").ToArray();
        return outcomes.Count.ToString(CultureInfo.InvariantCulture) + (notes.Length > 0 ? $" ({string.Join(", ", notes)})" : "");
    }

    /// <summary>
    /// The outcome in words for tables: "learned", "stuck at chance", "stuck at chance (fit only in training mode)",
    /// "collapsed at epoch 7".
    /// </summary>
    public string Words => Outcome switch
    {
        TrainingOutcome.Learned => "learned",
        TrainingOutcome.StuckAtChance => Note is { } note ? $"stuck at chance ({note})" : "stuck at chance",
        _ => (CollapseEpoch is int e ? $"collapsed at epoch {e.ToString(CultureInfo.InvariantCulture)}" : "collapsed") + (Recovered ? $", {RecoveredNote}" : ""),
    };

    /// <summary>
    /// The outcome of a finished run: status.json's when recorded, otherwise judged from its metrics; null when it
    /// cannot be judged (no epoch with a training accuracy, or no class names to set chance by).
    /// </summary>
    public static ReportedOutcome? Of(ExperimentMetrics.RunFiles run)
    {
        if (run.Status is { Outcome: TrainingOutcome recorded } s)
        {
            string detail = s.OutcomeDetail ?? "";
            // A collapse recorded before the detail said what followed it: the report adds that from the run's metrics.
            if (recorded == TrainingOutcome.Collapsed && s.CollapseEpoch is int at
                && !detail.Contains(TrainingOutcomeRules.LastEpochWords, StringComparison.Ordinal)
                && (s.ChanceAccuracy ?? Chance(run.Record)?.Chance) is double chanceOf && Epochs(run.Metrics) is { } recordedEpochs)
                detail += TrainingOutcomeRules.AfterCollapse(recordedEpochs, at, chanceOf);
            return new ReportedOutcome(recorded, s.CollapseEpoch, s.ChanceAccuracy ?? double.NaN, detail, false, ChanceFromStatus);
        }
        if (Chance(run.Record) is not { } judged) return null;
        var (chance, basis) = judged;
        if (Epochs(run.Metrics) is not { } epochs) return null;
        var verdict = TrainingOutcomeRules.Judge(epochs, chance, RunJudgement.PeakRunningAccuracy(run.Metrics));
        return verdict is null ? null
            : new ReportedOutcome(verdict.Outcome, verdict.CollapseEpoch, chance, verdict.Why, true, basis);
    }

    /// <summary>The run's epochs in order with their clean training accuracy and logit spread; null without those columns.</summary>
    private static (int Epoch, double TrainAccuracy, double LogitSpread)[]? Epochs(TidyTable m)
    {
        if (!m.Has(MetricColumns.Epoch) || !m.Has(MetricColumns.TrainAccuracy)) return null;
        // Files written before the probe existed have no logit spread: NaN, so the constant-output rule does not apply.
        bool spread = m.Has(MetricColumns.LogitSpread);
        return Enumerable.Range(0, m.Rows.Count)
            .Select(i => ((int)m.Number(i, MetricColumns.Epoch), m.Number(i, MetricColumns.TrainAccuracy),
                spread ? m.Number(i, MetricColumns.LogitSpread) : double.NaN))
            .Where(e => !double.IsNaN(e.Item2))
            .OrderBy(e => e.Item1)
            .ToArray();
    }

    /// <summary>
    /// Chance level of a run's training set from its run.yaml: the majority share of the training labels when the data
    /// notes record a count per class (<c>train_count_CLASS</c>), otherwise 1 / number of classes; null without class names.
    /// </summary>
    public static (double Chance, string Basis)? Chance(RunRecord record)
    {
        var classes = record.ClassNames;
        if (classes.Count == 0) return null;
        var counts = classes.Select(c => record.DataNotes.TryGetValue($"train_count_{c}", out var v)
            && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : double.NaN).ToArray();
        double total = counts.Sum();
        if (counts.All(n => !double.IsNaN(n)) && total > 0) return (counts.Max() / total, ChanceFromCounts);
        return (1.0 / classes.Count, ChanceFromClasses);
    }
}
