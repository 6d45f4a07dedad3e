namespace Harness.Training.SeedParallel;

/// <summary>One member's outcome of one fused epoch: its metrics, or the divergence that ended it.</summary>
/// <param name="Member">Index of the member in the group.</param>
/// <param name="Metrics">Its metrics, exactly what its standalone run would report (null when it diverged).</param>
/// <param name="Divergence">Set when its running loss became non-finite in this epoch; it is not reported again.</param>
public sealed record MemberEpoch(int Member, EpochMetrics? Metrics, NonFiniteLossException? Divergence);
