using System.Diagnostics;
using System.Globalization;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// One <see cref="MlflowSync"/> over a results folder, step by step: the run folders that cannot be mirrored, then each
/// run (found or created, sent what the server lacks, ended, marked), then the parents' end times; it counts what it
/// sent for the <see cref="SyncReport"/>.
/// </summary>
internal sealed class MlflowSyncPass(ResultsLayout layout, MlflowClient client, Action<string> log)
{
    private readonly MlflowRunWriter writer = new(client);
    private readonly MlflowSettings settings = client.Settings;
    private readonly List<string> conflicts = [], errors = [];
    private readonly Dictionary<string, long> parentEnds = new(StringComparer.Ordinal);
    private Dictionary<string, MlflowRun>? known;
    private int created, found, points, paramsSent, tagsSent, statuses;

    /// <summary>Syncs every run of the folder; stops at the first sign that the server is unavailable or not MLflow.</summary>
    public async Task<SyncReport> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        int requestsBefore = client.RequestCount;
        var runs = ExperimentMetrics.ReadRuns(layout);
        var skipped = NotMirrorable(runs);
        var starts = runs.Select(StartOf).ToList();
        long sweepStart = starts.Count > 0 ? starts.Min() : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (int index = 0; index < runs.Count; index++)
        {
            string runId = runs[index].Record.Spec.RunId;
            try
            {
                await SyncRunAsync(runs[index], starts[index], sweepStart, ct);
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
        if (errors.Count == 0) await EndParentsAsync(ct);
        return new SyncReport(created, found, points, paramsSent, tagsSent, statuses, client.RequestCount - requestsBefore,
            conflicts, errors, clock.Elapsed, skipped);
    }

    /// <summary>
    /// A run folder with a status but no run.yaml failed before it started, under a harness that did not record such
    /// runs yet: it cannot be mirrored (no spec to name it by), but it is never passed over silently.
    /// </summary>
    private List<string> NotMirrorable(IReadOnlyList<ExperimentMetrics.RunFiles> runs)
    {
        var recorded = runs.Select(r => r.Record.Spec.RunId).ToHashSet(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var id in layout.RunIds().Where(id => !recorded.Contains(id)))
            if (TryStatus(id) is { } orphan)
                skipped.Add($"run {id}: {orphan.State.ToString().ToLowerInvariant()} before it started ({orphan.Reason ?? "no reason recorded"}) and has no run.yaml, " +
                            "so it cannot be mirrored; `harness run --retry-failed` records it");
        return skipped;
    }

    /// <summary>Mirrors one run: its MLflow run found or created, what the server lacks sent, its end set, its marker written.</summary>
    private async Task SyncRunAsync(ExperimentMetrics.RunFiles files, long startMs, long sweepStart, CancellationToken ct)
    {
        var record = files.Record;
        string experimentId = await writer.ExperimentAsync(settings.ExperimentName, ct);
        string parentId = await writer.ParentAsync(experimentId, record.Spec.Experiment, sweepStart, ct);
        known ??= await ChildrenAsync(experimentId, record.Spec.Experiment, ct);
        var target = known.TryGetValue(record.Spec.RunId, out var existing)
            ? new MirroredRun(existing, false)
            : await writer.ChildAsync(experimentId, parentId, record, startMs, ct);
        if (target.Created) created++; else found++;

        var state = files.Status?.State;
        bool ended = state is RunState.Finished or RunState.Failed or RunState.Interrupted;
        var candidates = MlflowRunWriter.Points(files.Metrics, startMs);
        long endMs = MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? (candidates.Count > 0 ? candidates.Max(p => p.Timestamp) : startMs);
        if (ended)
        {
            int completed = files.Status?.EpochsCompleted ?? 0;
            var epochs = MlflowRunWriter.Accuracies(files.Metrics).Where(e => e.Epoch <= completed).ToList();
            candidates.AddRange(MlflowRunMapping.Summary(epochs, endMs));
        }
        await SendMissingAsync(files, target, parentId, candidates, ct);
        await writer.DatasetAsync(target.Run, record, log, ct);
        string? statusSent = null;
        if (ended)
        {
            statusSent = await EndAsync(target, state!.Value, endMs, ct);
            parentEnds[parentId] = Math.Max(parentEnds.GetValueOrDefault(parentId), endMs);
        }
        // The server now holds everything the files hold: mlflow.json says so (no stale "not mirrored" note).
        int lastEpoch = files.Metrics.Has(MetricColumns.Epoch) && files.Metrics.Rows.Count > 0
            ? Enumerable.Range(0, files.Metrics.Rows.Count).Max(i => (int)files.Metrics.Number(i, MetricColumns.Epoch)) : 0;
        WriteMarker(new MlflowRunMarker(settings.SafeUri, target.Run.ExperimentId, target.Run.RunId, lastEpoch, [],
            statusSent, null, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)), record.Spec.RunId);
    }

    /// <summary>
    /// Every child run of the experiment already on the server, by its harness run id: one search, so that only runs not
    /// found are looked up again (by their own tag) before they are created.
    /// </summary>
    private async Task<Dictionary<string, MlflowRun>> ChildrenAsync(string experimentId, string experiment, CancellationToken ct)
    {
        var children = new Dictionary<string, MlflowRun>(StringComparer.Ordinal);
        foreach (var run in await client.SearchRunsAsync([experimentId], MlflowClient.TagFilter((MlflowRunMapping.ExperimentTag, experiment)), ct: ct))
            if (run.Tags.TryGetValue(MlflowRunMapping.RunIdTag, out var id) && !children.ContainsKey(id)) children[id] = run;
        return children;
    }

    /// <summary>Sends, in one batch, the params, tags and metric points the server lacks; params that differ are conflicts.</summary>
    private async Task SendMissingAsync(ExperimentMetrics.RunFiles files, MirroredRun target, string parentId, List<MlflowMetric> candidates, CancellationToken ct)
    {
        var (ps, tags, runConflicts) = MlflowRunWriter.MissingMeta(target.Run, files.Record, parentId);
        if (files.Status is { State: RunState.Finished } finished)
            tags.AddRange(MlflowRunMapping.OutcomeTags(finished.Outcome, finished.CollapseEpoch, target.Run.Tags));
        if (files.Status is { } status)
            tags.AddRange(MlflowRunMapping.ReasonTags(status.State, status.Reason, target.Run.Tags));
        conflicts.AddRange(runConflicts);
        var missing = candidates.Count > 0 ? await target.MissingAsync(client, candidates, ct) : [];
        if (ps.Count + tags.Count + missing.Count == 0) return;
        await client.LogBatchAsync(target.Run.RunId, missing, ps, tags, ct);
        points += missing.Count; paramsSent += ps.Count; tagsSent += tags.Count;
    }

    /// <summary>Sets the final status and end time of an ended run unless the server has them; the MLflow status either way.</summary>
    private async Task<string> EndAsync(MirroredRun target, RunState state, long endMs, CancellationToken ct)
    {
        string status = MlflowRunStatus.Of(state);
        if (target.Run.Status != status || target.Run.EndTime is null)
        {
            await client.UpdateRunAsync(target.Run.RunId, status, endMs, ct);
            statuses++;
        }
        return status;
    }

    private async Task EndParentsAsync(CancellationToken ct)
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

    private static long StartOf(ExperimentMetrics.RunFiles files) =>
        MlflowRunMapping.Millis(files.Record.StartedUtc) ?? MlflowRunMapping.Millis(files.Status?.UpdatedUtc) ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private RunStatus? TryStatus(string runId)
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

    private void WriteMarker(MlflowRunMarker marker, string runId)
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
