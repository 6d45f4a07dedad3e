namespace Harness.Execution;

/// <summary>How the local executor treats a sweep.</summary>
/// <param name="RetryFailed">Train failed runs again (otherwise they are skipped with their reason kept).</param>
/// <param name="EvaluationBatchSize">Batch size of the clean measurements.</param>
/// <param name="MaxRuns">Train at most this many runs, then stop (a cluster task's share); null = all.</param>
/// <param name="SeedParallel">
/// Train up to this many runs that differ only by seed as one fused model (1 = each run alone). Each run still
/// gets its own folder, metrics, status, checkpoint and claim; see <see cref="Harness.Training.SeedParallel.SeedParallelTrainer"/>.
/// </param>
public sealed record ExecutorOptions(bool RetryFailed = false, int EvaluationBatchSize = 50, int? MaxRuns = null, int SeedParallel = 1);
