using Harness.Training;

namespace Harness.Tracking;

/// <summary>How a run ended.</summary>
/// <param name="State">Finished, failed or interrupted.</param>
/// <param name="EpochsCompleted">Epochs whose metrics were recorded.</param>
/// <param name="Reason">Why it failed or stopped (null when finished).</param>
/// <param name="Verdict">For a finished run: whether it learned, was stuck at chance or collapsed.</param>
/// <param name="Error">What made a failed run fail: its type and message go to status.json, its stack trace to log.txt.</param>
public sealed record RunOutcome(RunState State, int EpochsCompleted, string? Reason = null, TrainingVerdict? Verdict = null, Exception? Error = null)
{
    /// <summary>The error's type and message, as status.json records it; null without an error.</summary>
    public string? ErrorSummary => Error is null ? null : $"{Error.GetType().FullName}: {Error.Message}";
}
