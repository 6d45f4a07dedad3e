using System.Diagnostics;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// Replays a results folder to MLflow, idempotently: each run folder (run.yaml + metrics.csv + status.json) is
/// matched to its MLflow run by the <c>harness.run_id</c> tag (created under the parent run when missing); params
/// the run lacks are sent (a different existing value is reported as a conflict), tags that differ are sent, only the
/// (metric, epoch) points the server lacks are sent (read from the metric history), summary metrics once the run has
/// ended, and the final status from status.json. A second sync over unchanged files sends nothing but reads.
/// Runs still training elsewhere should not be synced at the same time as their live sink.
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
    public static async Task<SyncReport> RunAsync(ResultsLayout layout, MlflowClient client, Action<string>? log = null, CancellationToken ct = default)
    {
        log ??= _ => { };
        var clock = Stopwatch.StartNew();
        int requestsBefore = client.RequestCount;
        int created = 0, found = 0, points = 0, paramsSent = 0, tagsSent = 0, statuses = 0;
        var conflicts = new List<string>();
        var errors = new List<string>();
        var writer = new MlflowRunWriter(client);
        var settings = client.Settings;

        var runs = ExperimentMetrics.ReadRuns(layout);
        var known = new Dictionary<string, MlflowRun>(StringComparer.Ordinal);
        bool searched = false;
        for (int index = 0; index < runs.Count; index++)
        {
            var files = runs[index];
            var record = files.Record;
            string runId = record.Spec.RunId;
            try
            {
                long startMs = MlflowRunMapping.Millis(record.StartedUtc) ?? MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                string experimentId = await writer.ExperimentAsync(settings.ExperimentName, ct);
                string parentId = await writer.ParentAsync(experimentId, record.Spec.Experiment, startMs, ct);
                if (!searched)
                {
                    // One search finds every child already there; runs not found are looked up again by their own tag before creation.
                    foreach (var run in await client.SearchRunsAsync([experimentId],
                                 MlflowClient.TagFilter((MlflowRunMapping.ExperimentTag, record.Spec.Experiment)), ct: ct))
                        if (run.Tags.TryGetValue(MlflowRunMapping.RunIdTag, out var id) && !known.ContainsKey(id)) known[id] = run;
                    searched = true;
                }
                MirroredRun target;
                if (known.TryGetValue(runId, out var existing)) target = new MirroredRun(existing, false);
                else target = await writer.ChildAsync(experimentId, parentId, record, startMs, ct);
                if (target.Created) created++; else found++;

                var (ps, tags, runConflicts) = MlflowRunWriter.MissingMeta(target.Run, record, parentId);
                if (files.Status is { State: RunState.Finished } finished)
                    tags.AddRange(MlflowRunMapping.OutcomeTags(finished.Outcome, finished.CollapseEpoch, target.Run.Tags));
                conflicts.AddRange(runConflicts);
                var candidates = MlflowRunWriter.Points(files.Metrics, startMs);
                var state = files.Status?.State;
                bool ended = state is RunState.Finished or RunState.Failed or RunState.Interrupted;
                long endMs = MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? (candidates.Count > 0 ? candidates.Max(p => p.Timestamp) : startMs);
                if (ended)
                {
                    int completed = files.Status!.EpochsCompleted;
                    var epochs = MlflowRunWriter.Accuracies(files.Metrics).Where(e => e.Epoch <= completed).ToList();
                    candidates.AddRange(MlflowRunMapping.Summary(epochs, endMs));
                }
                var missing = candidates.Count > 0 ? await target.MissingAsync(client, candidates, ct) : [];
                if (ps.Count + tags.Count + missing.Count > 0)
                {
                    await client.LogBatchAsync(target.Run.RunId, missing, ps, tags, ct);
                    points += missing.Count; paramsSent += ps.Count; tagsSent += tags.Count;
                }
                if (ended)
                {
                    string status = MlflowRunStatus.Of(state!.Value);
                    if (target.Run.Status != status || target.Run.EndTime is null)
                    {
                        await client.UpdateRunAsync(target.Run.RunId, status, endMs, ct);
                        statuses++;
                    }
                }
            }
            catch (MlflowException e) when (e.IsTransient)
            {
                errors.Add($"run {runId}: {e.Message}");
                errors.Add($"MLflow at {settings.SafeUri} unavailable: {runs.Count - index - 1} more run(s) not synced; run the sync again later");
                log(errors[^1]);
                break;
            }
            catch (Exception e) when (e is MlflowException or ArgumentException or InvalidDataException)
            {
                errors.Add($"run {runId}: {e.Message}");
                log(errors[^1]);
            }
        }
        return new SyncReport(created, found, points, paramsSent, tagsSent, statuses, client.RequestCount - requestsBefore,
            conflicts, errors, clock.Elapsed);
    }
}
