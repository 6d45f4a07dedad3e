using Harness.Specs;

namespace Harness.Reporting;

/// <summary>
/// The runs that share a grouping key (condition, plus architecture and colour mode when those vary), with the
/// per-epoch bands and the memorization curve of its finished runs.
/// </summary>
/// <param name="Key">Grouping key, as shown in tables and figures.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="ColorMode">Colour mode short name.</param>
/// <param name="Control">Memorization control, or null for true data.</param>
/// <param name="DataKey">Identity of the data source (runs on the same data share it).</param>
/// <param name="Runs">Every run of the group, finished or not.</param>
/// <param name="Finished">The finished runs, which enter statistics.</param>
/// <param name="SyntheticPreset">The synthetic generator's preset when the data are synthetic.</param>
/// <param name="BayesOptimalAccuracy">The generator's Bayes-optimal accuracy when known.</param>
/// <param name="TrainAccuracy">Mean clean training accuracy per epoch with its band.</param>
/// <param name="TestAccuracy">Mean test accuracy per epoch with its band.</param>
/// <param name="TrainLoss">Mean clean training loss per epoch with its band.</param>
/// <param name="TestLoss">Mean test loss per epoch with its band.</param>
/// <param name="Memorization">Kaplan–Meier estimate of runs not yet memorized by epoch.</param>
public sealed record ConditionGroup(
    string Key, string Condition, string Architecture, string ColorMode, ControlSpec? Control, string DataKey,
    IReadOnlyList<ReportRun> Runs, IReadOnlyList<ReportRun> Finished,
    string? SyntheticPreset, double? BayesOptimalAccuracy,
    IReadOnlyList<EpochBand> TrainAccuracy, IReadOnlyList<EpochBand> TestAccuracy,
    IReadOnlyList<EpochBand> TrainLoss, IReadOnlyList<EpochBand> TestLoss,
    KaplanMeier Memorization)
{
    /// <summary>A measure's values over the finished runs (NaN dropped).</summary>
    public double[] Values(string measure) =>
        Finished.Select(r => r.Measures.Value(measure)).Where(v => !double.IsNaN(v)).ToArray();
}
