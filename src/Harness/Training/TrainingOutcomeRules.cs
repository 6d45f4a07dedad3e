using System.Globalization;

namespace Harness.Training;

/// <summary>
/// Judges a finished run from its per-epoch clean training accuracy (measured after each epoch on the unaugmented
/// training images, in evaluation mode) and the probe's logit spread, so that "did not memorize" is never confused
/// with "never trained":
/// <list type="bullet">
/// <item><c>collapsed</c>: the accuracy reached <see cref="CollapseFrom"/> and at a later epoch fell to chance +
/// <see cref="CollapseMargin"/> or below (the epoch is recorded);</item>
/// <item><c>stuck_at_chance</c>: the accuracy never rose above chance + <see cref="LearnedMargin"/>, or the last epoch's
/// outputs were constant (logit spread below <see cref="ConstantOutputSpread"/>);</item>
/// <item><c>learned</c>: otherwise.</item>
/// </list>
/// Chance is the share of the training set's most frequent class (0.5 for a balanced binary set).
/// </summary>
public static class TrainingOutcomeRules
{
    /// <summary>A run learned only if its training accuracy rose more than this above chance (5 points).</summary>
    public const double LearnedMargin = 0.05;

    /// <summary>A collapse starts from at least this training accuracy.</summary>
    public const double CollapseFrom = 0.9;

    /// <summary>... and ends at or below chance plus this (10 points).</summary>
    public const double CollapseMargin = 0.10;

    /// <summary>
    /// A run stuck by its clean (inference-mode) accuracy whose running accuracy over the epoch's batches (training mode)
    /// rose at least this far above chance fits only in training mode: batch norm's moving averages or dropout do not
    /// carry the fit to inference. It stays <see cref="TrainingOutcome.StuckAtChance"/>, and its detail says so.
    /// </summary>
    public const double TrainingModeOnlyMargin = 0.25;

    /// <summary>A logit spread below this (logit units, SD over the probe images) means the outputs are constant.</summary>
    public const double ConstantOutputSpread = 1e-4;

    /// <summary>The file and MLflow spelling of <paramref name="outcome"/>.</summary>
    public static string Label(TrainingOutcome outcome) => outcome switch
    {
        TrainingOutcome.Learned => "learned",
        TrainingOutcome.StuckAtChance => "stuck_at_chance",
        _ => "collapsed",
    };

    /// <summary>The outcome named <paramref name="label"/> (see <see cref="Label"/>), or null.</summary>
    public static TrainingOutcome? Parse(string? label) => label switch
    {
        "learned" => TrainingOutcome.Learned,
        "stuck_at_chance" => TrainingOutcome.StuckAtChance,
        "collapsed" => TrainingOutcome.Collapsed,
        _ => null,
    };

    /// <summary>Chance level of a training set with these labels: the share of its most frequent class.</summary>
    public static double ChanceAccuracy(IReadOnlyCollection<int> labels) =>
        labels.Count == 0 ? 0 : (double)labels.GroupBy(l => l).Max(g => g.Count()) / labels.Count;

    /// <summary>
    /// Judges a run from its epochs in order: (epoch, clean training accuracy, logit spread or NaN when not measured).
    /// Null when there is no epoch.
    /// </summary>
    /// <param name="epochs">The epochs in order.</param>
    /// <param name="chance">The majority share of the training labels.</param>
    /// <param name="peakRunningAccuracy">The highest running (training-mode) accuracy over the epochs; NaN when not known.</param>
    public static TrainingVerdict? Judge(IReadOnlyList<(int Epoch, double TrainAccuracy, double LogitSpread)> epochs, double chance, double peakRunningAccuracy = double.NaN)
    {
        if (epochs.Count == 0) return null;
        double peak = epochs.Max(e => e.TrainAccuracy);
        int reached = -1;
        for (int i = 0; i < epochs.Count; i++)
        {
            if (reached < 0 && epochs[i].TrainAccuracy >= CollapseFrom) reached = i;
            else if (reached >= 0 && epochs[i].TrainAccuracy <= chance + CollapseMargin)
                return new TrainingVerdict(TrainingOutcome.Collapsed, chance, peak, epochs[i].Epoch, Invariant(
                    $"training accuracy reached {epochs[reached].TrainAccuracy:0.000} at epoch {epochs[reached].Epoch}, then fell to {epochs[i].TrainAccuracy:0.000} at epoch {epochs[i].Epoch} (chance {chance:0.000})") + AfterCollapse(epochs, epochs[i].Epoch, chance));
        }
        var last = epochs[^1];
        if (peak <= chance + LearnedMargin)
            return new TrainingVerdict(TrainingOutcome.StuckAtChance, chance, peak, null, Invariant(
                $"training accuracy never rose above {peak:0.000} (chance {chance:0.000} + {LearnedMargin:0.00} needed)") + TrainingModeOnly(peakRunningAccuracy, chance));
        if (last.LogitSpread < ConstantOutputSpread)
            return new TrainingVerdict(TrainingOutcome.StuckAtChance, chance, peak, null, Invariant(
                $"{ConstantOutputsWords} at epoch {last.Epoch} (logit spread {last.LogitSpread:0.###e0} over the probe images)"));
        return new TrainingVerdict(TrainingOutcome.Learned, chance, peak, null, Invariant(
            $"training accuracy peaked at {peak:0.000} (chance {chance:0.000})"));
    }

    /// <summary>The words of a collapsed run's detail when its last epoch was back at <see cref="CollapseFrom"/> or above.</summary>
    public const string RecoveredWords = "; it recovered:";

    /// <summary>The words that end what <see cref="AfterCollapse"/> says, whichever way the run went.</summary>
    public const string LastEpochWords = ", the last";

    /// <summary>
    /// What a collapsed run did after collapsing at <paramref name="collapseEpoch"/>, when that was not its last epoch:
    /// recovered (back at <see cref="CollapseFrom"/> or above by the last epoch) or where it ended; "" otherwise. The
    /// outcome stays collapsed (the collapse happened); a reader learns that the run came back from it.
    /// </summary>
    /// <param name="epochs">The run's epochs in order: (epoch, clean training accuracy, logit spread).</param>
    /// <param name="collapseEpoch">The epoch it fell back to chance.</param>
    /// <param name="chance">The chance level it was judged against.</param>
    public static string AfterCollapse(IReadOnlyList<(int Epoch, double TrainAccuracy, double LogitSpread)> epochs, int collapseEpoch, double chance)
    {
        if (epochs.Count == 0 || epochs[^1].Epoch <= collapseEpoch) return "";
        var last = epochs[^1];
        return last.TrainAccuracy >= CollapseFrom
            ? Invariant($"{RecoveredWords} {last.TrainAccuracy:0.000} at epoch {last.Epoch}{LastEpochWords}")
            : Invariant($"; {last.TrainAccuracy:0.000} at epoch {last.Epoch}{LastEpochWords} (chance {chance:0.000})");
    }

    /// <summary>The words of a stuck run's detail that say it fits only in training mode (the report finds its note by them).</summary>
    public const string TrainingModeOnlyWords = "fits only in training mode";

    /// <summary>The words that open the detail of a run whose outputs ended constant.</summary>
    public const string ConstantOutputsWords = "outputs constant";

    private static string TrainingModeOnly(double peakRunning, double chance) =>
        peakRunning >= chance + TrainingModeOnlyMargin
            ? Invariant($"; but its running accuracy over the training batches reached {peakRunning:0.000}: it {TrainingModeOnlyWords} (batch norm's moving averages or dropout do not carry the fit to inference)")
            : "";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
