using Harness.Specs;
using Harness.Training;

namespace Harness.Reporting;

/// <summary>
/// The runs that share a grouping key (condition, plus architecture and colour mode when those vary), with the
/// per-epoch bands of its runs that learned and the memorization curve of its finished runs.
/// </summary>
/// <param name="Key">Grouping key, as shown in tables and figures.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="ColorMode">Colour mode short name.</param>
/// <param name="Control">Memorization control, or null for true data.</param>
/// <param name="DataKey">Identity of the data source (runs on the same data share it).</param>
/// <param name="Runs">Every run of the group, finished or not.</param>
/// <param name="Finished">The finished runs, which enter statistics over all runs.</param>
/// <param name="Learned">The finished runs judged <c>learned</c>, which enter statistics over the runs that learned.</param>
/// <param name="SyntheticPreset">The synthetic generator's preset when the data are synthetic.</param>
/// <param name="BayesOptimalAccuracy">The generator's Bayes-optimal accuracy when known.</param>
/// <param name="TrainAccuracy">Mean clean training accuracy per epoch with its band, over the runs that learned.</param>
/// <param name="TestAccuracy">Mean test accuracy per epoch with its band, over the runs that learned.</param>
/// <param name="TrainLoss">Mean clean training loss per epoch with its band, over the runs that learned.</param>
/// <param name="TestLoss">Mean test loss per epoch with its band, over the runs that learned.</param>
/// <param name="RunningTrainAccuracy">Mean running (training-mode) training accuracy per epoch with its band, over the runs that learned.</param>
/// <param name="Memorization">Kaplan–Meier estimate of runs not yet memorized by epoch.</param>
public sealed record ConditionGroup(
    string Key, string Condition, string Architecture, string ColorMode, ControlSpec? Control, string DataKey,
    IReadOnlyList<ReportRun> Runs, IReadOnlyList<ReportRun> Finished, IReadOnlyList<ReportRun> Learned,
    string? SyntheticPreset, double? BayesOptimalAccuracy,
    IReadOnlyList<EpochBand> TrainAccuracy, IReadOnlyList<EpochBand> TestAccuracy,
    IReadOnlyList<EpochBand> TrainLoss, IReadOnlyList<EpochBand> TestLoss,
    IReadOnlyList<EpochBand> RunningTrainAccuracy,
    KaplanMeier Memorization)
{
    /// <summary>A measure's values over the finished runs of <paramref name="runs"/> (NaN dropped).</summary>
    public double[] Values(string measure, RunSet runs = RunSet.All) =>
        Of(runs).Select(r => r.Measures.Value(measure)).Where(v => !double.IsNaN(v)).ToArray();

    /// <summary>The finished runs of a set: all of them, or those that learned.</summary>
    public IReadOnlyList<ReportRun> Of(RunSet runs) => runs == RunSet.All ? Finished : Learned;

    /// <summary>Finished runs with this outcome.</summary>
    public IReadOnlyList<ReportRun> With(TrainingOutcome outcome) =>
        Finished.Where(r => r.Measures.Outcome?.Outcome == outcome).ToArray();

    /// <summary>Finished runs without an outcome (no epoch to judge, or no class names to set chance by).</summary>
    public IReadOnlyList<ReportRun> NotJudged => Finished.Where(r => r.Measures.Outcome is null).ToArray();

    /// <summary>Whether every finished run learned, so that statistics over all runs and over the runs that learned coincide.</summary>
    public bool AllLearned => Learned.Count == Finished.Count;
}
