using Harness.Training;

namespace Harness.Tracking;

/// <summary>
/// Receives a run's life: its start (with the metadata that makes it reproducible), each epoch's metrics,
/// and its end. Sinks are fanned out by the executor; the trainer never sees them. A sink must not throw
/// for a slow or absent backend: files are the source of truth, everything else is a mirror.
/// </summary>
public interface IMetricSink : IDisposable
{
    /// <summary>A run starts (or resumes: <see cref="RunRecord"/> says from which epoch).</summary>
    void RunStarted(RunRecord run);

    /// <summary>One epoch finished.</summary>
    void EpochCompleted(RunRecord run, EpochMetrics metrics);

    /// <summary>The run ended: finished, failed or interrupted.</summary>
    void RunEnded(RunRecord run, RunOutcome outcome);
}
