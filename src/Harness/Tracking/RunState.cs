namespace Harness.Tracking;

/// <summary>A run's life cycle, as written to <c>status.json</c>.</summary>
public enum RunState
{
    /// <summary>Planned, not started.</summary>
    Pending,
    /// <summary>Claimed by a worker and training.</summary>
    Running,
    /// <summary>Every epoch done.</summary>
    Finished,
    /// <summary>Stopped by an error (e.g. a non-finite loss); the reason is recorded.</summary>
    Failed,
    /// <summary>Stopped from outside (SIGTERM, time limit) after a checkpoint; resumable.</summary>
    Interrupted,
}
