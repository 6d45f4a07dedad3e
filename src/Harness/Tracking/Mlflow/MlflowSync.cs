using System.Diagnostics;
using System.Globalization;

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
    public static async Task<SyncReport> RunAsync(ResultsLayout layout, MlflowClient client, Action<string>? log = null, CancellationToken ct = default)
    {
        log ??= _ => { };
        var clock = Stopwatch.StartNew();
        int requestsBefore = client.RequestCount;
        int created = 0, found = 0, points = 0, paramsSent = 0, tagsSent = 0, statuses = 0;
        var conflicts = new List<string>();
        var errors = new List<string>();
        var skipped = new List<string>();
        var writer = new MlflowRunWriter(client);
        var settings = client.Settings;

        var runs = ExperimentMetrics.ReadRuns(layout);
        // A run folder with a status but no run.yaml failed before it started, under a harness that did not record such
        // runs yet: it cannot be mirrored (no spec to name it by), but it is never passed over silently.
        var recorded = runs.Select(r => r.Record.Spec.RunId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in layout.RunIds().Where(id => !recorded.Contains(id)))
            if (TryStatus(layout, id) is { } orphan)
                skipped.Add($"run {id}: {orphan.State.ToString().ToLowerInvariant()} before it started ({orphan.Reason ?? "no reason recorded"}) and has no run.yaml, " +
                            "so it cannot be mirrored; `harness run --retry-failed` records it");
        var starts = runs.Select(StartOf).ToList();
        long sweepStart = starts.Count > 0 ? starts.Min() : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var known = new Dictionary<string, MlflowRun>(StringComparer.Ordinal);
        var parentEnds = new Dictionary<string, long>(StringComparer.Ordinal);
        bool searched = false;
        for (int index = 0; index < runs.Count; index++)
        {
            var files = runs[index];
            var record = files.Record;
            string runId = record.Spec.RunId;
            try
            {
                long startMs = starts[index];
                string experimentId = await writer.ExperimentAsync(settings.ExperimentName, ct);
                string parentId = await writer.ParentAsync(experimentId, record.Spec.Experiment, sweepStart, ct);
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
                if (files.Status is { } status0)
                    tags.AddRange(MlflowRunMapping.ReasonTags(status0.State, status0.Reason, target.Run.Tags));
                conflicts.AddRange(runConflicts);
                var candidates = MlflowRunWriter.Points(files.Metrics, startMs);
                var state = files.Status?.State;
                bool ended = state is RunState.Finished or RunState.Failed or RunState.Interrupted;
                long endMs = MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? (candidates.Count > 0 ? candidates.Max(p => p.Timestamp) : startMs);
                int completed = files.Status?.EpochsCompleted ?? 0;
                if (ended)
                {
                    var epochs = MlflowRunWriter.Accuracies(files.Metrics).Where(e => e.Epoch <= completed).ToList();
                    candidates.AddRange(MlflowRunMapping.Summary(epochs, endMs));
                }
                var missing = candidates.Count > 0 ? await target.MissingAsync(client, candidates, ct) : [];
                if (ps.Count + tags.Count + missing.Count > 0)
                {
                    await client.LogBatchAsync(target.Run.RunId, missing, ps, tags, ct);
                    points += missing.Count; paramsSent += ps.Count; tagsSent += tags.Count;
                }
                await writer.DatasetAsync(target.Run, record, log, ct);
                string? statusSent = null;
                if (ended)
                {
                    statusSent = MlflowRunStatus.Of(state!.Value);
                    if (target.Run.Status != statusSent || target.Run.EndTime is null)
                    {
                        await client.UpdateRunAsync(target.Run.RunId, statusSent, endMs, ct);
                        statuses++;
                    }
                    parentEnds[parentId] = Math.Max(parentEnds.GetValueOrDefault(parentId), endMs);
                }
                // The server now holds everything the files hold: mlflow.json says so (no stale "not mirrored" note).
                int lastEpoch = files.Metrics.Has(MetricColumns.Epoch) && files.Metrics.Rows.Count > 0
                    ? Enumerable.Range(0, files.Metrics.Rows.Count).Max(i => (int)files.Metrics.Number(i, MetricColumns.Epoch)) : 0;
                WriteMarker(layout, new MlflowRunMarker(settings.SafeUri, target.Run.ExperimentId, target.Run.RunId, lastEpoch, [],
                    statusSent, null, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), runId, log);
            }
            catch (MlflowException e) when (e.IsTransient || e.IsNotMlflowServer)
            {
                int left = runs.Count - index;
                errors.Add(e.IsNotMlflowServer
                    ? $"{e.Message}: {left} run(s) not synced; check the tracking URI"
                    : $"MLflow at {settings.SafeUri} unavailable ({e.Message}): run {runId} and {left - 1} more run(s) not synced; run the sync again later");
                break;
            }
            catch (Exception e) when (e is MlflowException or ArgumentException or InvalidDataException)
            {
                errors.Add($"run {runId}: {e.Message}");
            }
        }
        if (errors.Count == 0)
        {
            try
            {
                foreach (var (parentId, end) in parentEnds) await writer.ParentEndedAsync(parentId, end, ct);
            }
            catch (MlflowException e)
            {
                errors.Add($"parent run: {e.Message}");
            }
        }
        return new SyncReport(created, found, points, paramsSent, tagsSent, statuses, client.RequestCount - requestsBefore,
            conflicts, errors, clock.Elapsed, skipped);
    }

    private static long StartOf(ExperimentMetrics.RunFiles files) =>
        MlflowRunMapping.Millis(files.Record.StartedUtc) ?? MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static RunStatus? TryStatus(ResultsLayout layout, string runId)
    {
        try
        {
            return RunStatusFile.TryRead(layout.RunStatusJson(runId));
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static void WriteMarker(ResultsLayout layout, MlflowRunMarker marker, string runId, Action<string> log)
    {
        try
        {
            marker.Write(layout.RunDirectory(runId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Informational only (a read-only copy of results syncs all the same).
            log($"cannot update {MlflowRunMarker.FileName} of run {runId}: {e.Message}");
        }
    }
}
