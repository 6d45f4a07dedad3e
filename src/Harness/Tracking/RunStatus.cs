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
public sealed record RunStatus(
    RunState State,
    int EpochsCompleted,
    int Epochs,
    string? Reason,
    string? Exception,
    string Host,
    int ProcessId,
    string UpdatedUtc);
