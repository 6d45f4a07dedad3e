namespace Harness.Tracking.Mlflow;

/// <summary>
/// Replays a results folder to MLflow, idempotently: each run folder (run.yaml + metrics.csv + status.json) is
/// matched to its MLflow run by the <c>harness.run_id</c> tag (created under the parent run when missing); params
/// the run lacks are sent (a different existing value is reported as a conflict), tags that differ are sent, only the
/// (metric, epoch) points the server lacks are sent (read from the metric history), summary metrics once the run has
/// ended, the final status from status.json (with the reason of a failed or stopped run as a tag), the training data
/// as a dataset input, and the parent's end time. Each synced run's <c>mlflow.json</c> is rewritten to say it is
/// mirrored. A second sync over unchanged files sends nothing but reads. A URL that is not an MLflow server stops the
/// sync at once with one error. Runs still training elsewhere should not be synced at the same time as their live sink.
/// </summary>
public static class MlflowSync
{
    /// <summary>Syncs every run of <paramref name="layout"/> to the server of <paramref name="settings"/>.</summary>
    public static SyncReport Run(ResultsLayout layout, MlflowSettings settings, Action<string>? log = null, CancellationToken ct = default)
    {
        using var client = new MlflowClient(settings);
        return RunAsync(layout, client, log, ct).GetAwaiter().GetResult();
    }

    /// <summary>Syncs every run of <paramref name="layout"/> with <paramref name="client"/>.</summary>
    public static Task<SyncReport> RunAsync(ResultsLayout layout, MlflowClient client, Action<string>? log = null, CancellationToken ct = default) =>
        new MlflowSyncPass(layout, client, log ?? (_ => { })).RunAsync(ct);
}
