namespace Harness.Execution;

/// <summary>Progress of a sweep, for displays: which run, which epoch and batch, and how long is left.</summary>
/// <param name="RunIndex">0-based index of the run in progress among the runs to train now.</param>
/// <param name="RunCount">Runs to train now (finished ones skipped).</param>
/// <param name="RunName">Readable run name.</param>
/// <param name="Epoch">Current epoch.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Batch">Batches done in the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Remaining">Estimated time left for the whole sweep, when it can be estimated.</param>
public sealed record RunProgress(int RunIndex, int RunCount, string RunName, int Epoch, int Epochs, int Batch, int Batches, TimeSpan? Remaining);
