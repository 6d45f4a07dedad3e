using Harness.Training;

namespace Harness.Tracking;

/// <summary>How a run ended.</summary>
/// <param name="State">Finished, failed or interrupted.</param>
/// <param name="EpochsCompleted">Epochs whose metrics were recorded.</param>
/// <param name="Reason">Why it failed or stopped (null when finished).</param>
/// <param name="Verdict">For a finished run: whether it learned, was stuck at chance or collapsed.</param>
public sealed record RunOutcome(RunState State, int EpochsCompleted, string? Reason = null, TrainingVerdict? Verdict = null);
