namespace Harness.Execution;

/// <summary>What one invocation of the executor did.</summary>
/// <param name="Planned">Runs in the plan.</param>
/// <param name="Skipped">Already finished (or failed, without retry) and left alone.</param>
/// <param name="Finished">Trained to the end now.</param>
/// <param name="Failed">Failed now (each with its reason in status.json).</param>
/// <param name="Interrupted">Stopped by a signal; resumable.</param>
public sealed record SweepResult(int Planned, int Skipped, int Finished, int Failed, int Interrupted);
