namespace Harness.Tracking.Mlflow;

/// <summary>What one <see cref="MlflowSync"/> did. Running it again on unchanged files gives zero points, params and tags sent.</summary>
/// <param name="RunsCreated">Child runs created in MLflow.</param>
/// <param name="RunsFound">Child runs that already existed (found by their <c>harness.run_id</c> tag).</param>
/// <param name="PointsSent">Metric points sent (per-epoch and summary).</param>
/// <param name="ParamsSent">Params sent.</param>
/// <param name="TagsSent">Tags sent (new or changed).</param>
/// <param name="StatusesSet">Runs whose final status was set.</param>
/// <param name="Requests">HTTP requests made (retries included).</param>
/// <param name="Conflicts">Params whose MLflow value differs from the files' (left unchanged).</param>
/// <param name="Errors">Runs that could not be synced, and why.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Skipped">Run folders that could not be mirrored and why (not errors: nothing the server can fix).</param>
public sealed record SyncReport(
    int RunsCreated,
    int RunsFound,
    int PointsSent,
    int ParamsSent,
    int TagsSent,
    int StatusesSet,
    int Requests,
    IReadOnlyList<string> Conflicts,
    IReadOnlyList<string> Errors,
    TimeSpan Elapsed,
    IReadOnlyList<string>? Skipped = null)
{
    /// <summary>Whether every run was synced.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>One line for a console.</summary>
    public override string ToString() =>
        $"{RunsCreated} runs created, {RunsFound} found, {PointsSent} points, {ParamsSent} params, {TagsSent} tags, " +
        $"{StatusesSet} statuses sent in {Requests} requests ({Elapsed.TotalSeconds:0.00} s); {Conflicts.Count} conflicts, {Errors.Count} errors";
}
