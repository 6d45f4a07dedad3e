namespace Harness.Tracking.Mlflow;

/// <summary>
/// MLflow's run statuses as the REST API spells them. The server may silently ignore an unknown value, so the
/// client checks every status against this list before sending it.
/// </summary>
public static class MlflowRunStatus
{
    /// <summary>The run is in progress.</summary>
    public const string Running = "RUNNING";
    /// <summary>Scheduled, not started.</summary>
    public const string Scheduled = "SCHEDULED";
    /// <summary>Completed.</summary>
    public const string Finished = "FINISHED";
    /// <summary>Stopped by an error.</summary>
    public const string Failed = "FAILED";
    /// <summary>Stopped from outside.</summary>
    public const string Killed = "KILLED";

    /// <summary>Every valid status.</summary>
    public static readonly IReadOnlyList<string> All = [Running, Scheduled, Finished, Failed, Killed];

    /// <summary>Whether <paramref name="status"/> is one MLflow knows (exact spelling).</summary>
    public static bool IsValid(string? status) => status is not null && All.Contains(status, StringComparer.Ordinal);

    /// <summary>The MLflow status of a harness run state: interrupted runs are KILLED; pending and running ones RUNNING.</summary>
    public static string Of(RunState state) => state switch
    {
        RunState.Finished => Finished,
        RunState.Failed => Failed,
        RunState.Interrupted => Killed,
        _ => Running,
    };

    /// <summary>Whether a status is final.</summary>
    public static bool IsTerminal(string? status) => status is Finished or Failed or Killed;
}
