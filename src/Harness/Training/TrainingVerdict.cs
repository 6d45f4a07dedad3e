namespace Harness.Training;

/// <summary>The outcome of a finished run and the numbers it was judged on.</summary>
/// <param name="Outcome">Learned, stuck at chance, or collapsed.</param>
/// <param name="ChanceAccuracy">Chance level of its training set: the share of its most frequent class.</param>
/// <param name="PeakTrainAccuracy">Highest clean training accuracy of any epoch.</param>
/// <param name="CollapseEpoch">For a collapse: the first epoch at or below chance + <see cref="TrainingOutcomeRules.CollapseMargin"/> after the peak.</param>
/// <param name="Why">One sentence a scientist can read.</param>
public sealed record TrainingVerdict(TrainingOutcome Outcome, double ChanceAccuracy, double PeakTrainAccuracy, int? CollapseEpoch, string Why)
{
    /// <summary>The outcome as written in files and MLflow: <c>learned</c>, <c>stuck_at_chance</c>, <c>collapsed</c>.</summary>
    public string Label => TrainingOutcomeRules.Label(Outcome);
}
