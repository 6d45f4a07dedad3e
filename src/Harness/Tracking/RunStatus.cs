namespace Harness.Tracking;

/// <summary>The content of a run's <c>status.json</c>.</summary>
/// <param name="State">Life-cycle state.</param>
/// <param name="EpochsCompleted">Epochs recorded in metrics.csv.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Reason">Why it failed or stopped.</param>
/// <param name="Exception">Exception type and message of a failure.</param>
/// <param name="Host">Machine that last wrote it.</param>
/// <param name="ProcessId">Process that last wrote it.</param>
/// <param name="UpdatedUtc">When it was written (ISO 8601).</param>
/// <param name="Outcome">A finished run's training outcome: learned, stuck_at_chance or collapsed (see <see cref="Harness.Training.TrainingOutcomeRules"/>).</param>
/// <param name="OutcomeDetail">Why, in one sentence.</param>
/// <param name="CollapseEpoch">The epoch a collapsed run fell back to chance.</param>
/// <param name="ChanceAccuracy">The chance level the outcome was judged against.</param>
public sealed record RunStatus(
    RunState State,
    int EpochsCompleted,
    int Epochs,
    string? Reason,
    string? Exception,
    string Host,
    int ProcessId,
    string UpdatedUtc,
    Harness.Training.TrainingOutcome? Outcome = null,
    string? OutcomeDetail = null,
    int? CollapseEpoch = null,
    double? ChanceAccuracy = null);
