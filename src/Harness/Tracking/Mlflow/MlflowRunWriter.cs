using Harness.Specs;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// The steps shared by the live sink and the sync: find or create the experiment, the parent run and a child
/// run, and work out which params and tags still have to be sent (params are write-once: a different existing
/// value is a conflict, reported and never sent, because one bad param fails the whole request).
/// </summary>
internal sealed class MlflowRunWriter(MlflowClient client)
{
    private readonly Dictionary<string, string> experiments = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), string> parents = [];
    private readonly Dictionary<string, long> parentEnds = new(StringComparer.Ordinal);
    private bool inputsUnsupported;

    public MlflowClient Client => client;

    public async Task<string> ExperimentAsync(string name, CancellationToken ct)
    {
        if (!experiments.TryGetValue(name, out var id))
            experiments[name] = id = await client.GetOrCreateExperimentAsync(name, ct);
        return id;
    }

    public async Task<string> ParentAsync(string experimentId, string harnessExperiment, long startMs, CancellationToken ct)
    {
        if (parents.TryGetValue((experimentId, harnessExperiment), out var id)) return id;
        var (run, created) = await client.GetOrCreateRunAsync(experimentId,
            [(MlflowRunMapping.ParentTag, "true"), (MlflowRunMapping.ExperimentTag, harnessExperiment)],
            harnessExperiment, startMs, MlflowRunMapping.ParentTags(harnessExperiment), ct);
        // The parent only groups children; marking it finished keeps the UI from showing a run that never ends. Its end
        // moves on with each child that ends (ParentEndedAsync), so its duration spans the sweep.
        if (created) await client.UpdateRunAsync(run.RunId, MlflowRunStatus.Finished, startMs, ct);
        else
        {
            // Parents made by older versions lack the source tags.
            var missing = MlflowRunMapping.SourceTags.Where(t => !run.Tags.TryGetValue(t.Key, out var v) || v != t.Value).ToList();
            if (missing.Count > 0) await client.LogBatchAsync(run.RunId, tags: missing, ct: ct);
        }
        parentEnds[run.RunId] = created ? startMs : run.EndTime ?? 0;
        parents[(experimentId, harnessExperiment)] = run.RunId;
        return run.RunId;
    }

    /// <summary>A child of <paramref name="parentRunId"/> ended at <paramref name="endMs"/>: the parent ends no earlier.</summary>
    public async Task ParentEndedAsync(string parentRunId, long endMs, CancellationToken ct)
    {
        if (parentEnds.TryGetValue(parentRunId, out long known) && known >= endMs) return;
        await client.UpdateRunAsync(parentRunId, MlflowRunStatus.Finished, endMs, ct);
        parentEnds[parentRunId] = endMs;
    }

    /// <summary>
    /// Records the run's training data as its MLflow dataset input unless the run already has it. A server older than
    /// MLflow 2.4 has no <c>runs/log-inputs</c> (an HTML 404): then data sets are left out, once noted in <paramref name="log"/>.
    /// </summary>
    public async Task<bool> DatasetAsync(MlflowRun run, RunRecord record, Action<string> log, CancellationToken ct)
    {
        if (inputsUnsupported || MlflowRunMapping.Dataset(record) is not { } dataset) return false;
        if (run.Datasets?.Any(d => d.Name == dataset.Name && d.Digest == dataset.Digest) == true) return false;
        try
        {
            await client.LogInputsAsync(run.RunId, [dataset], ct);
            return true;
        }
        catch (MlflowException e) when (e.IsNotMlflowServer && e.Status == System.Net.HttpStatusCode.NotFound)
        {
            // Only this route is missing (the run itself was found or created there): an MLflow without dataset inputs.
            inputsUnsupported = true;
            log($"MLflow at {client.Settings.SafeUri} has no runs/log-inputs (older than 2.4): data sets are not recorded as inputs");
            return false;
        }
    }

    /// <summary>The child run of <paramref name="record"/> (found by its RunId tag, else created under the parent).</summary>
    public async Task<MirroredRun> ChildAsync(string experimentId, string parentRunId, RunRecord record, long startMs, CancellationToken ct)
    {
        var (run, created) = await client.GetOrCreateRunAsync(experimentId, [(MlflowRunMapping.RunIdTag, record.Spec.RunId)],
            record.Spec.DisplayName, startMs, MlflowRunMapping.Tags(record, parentRunId), ct);
        return new MirroredRun(run, created);
    }

    /// <summary>Params and tags the run lacks (or whose tag value differs), and param conflicts as messages.</summary>
    public static (List<KeyValuePair<string, string>> Params, List<KeyValuePair<string, string>> Tags, List<string> Conflicts)
        MissingMeta(MlflowRun run, RunRecord record, string parentRunId)
    {
        var ps = new List<KeyValuePair<string, string>>();
        var conflicts = new List<string>();
        foreach (var p in MlflowRunMapping.Params(record.Spec))
        {
            if (!run.Params.TryGetValue(p.Key, out var existing)) ps.Add(p);
            else if (existing != p.Value)
                conflicts.Add($"run {record.Spec.RunId} (MLflow {run.RunId}): param '{p.Key}' is '{existing}' in MLflow but '{p.Value}' here; params cannot change, left as is");
        }
        var tags = MlflowRunMapping.Tags(record, parentRunId)
            .Where(t => !run.Tags.TryGetValue(t.Key, out var v) || v != MlflowKeys.FitTagValue(t.Value))
            .ToList();
        return (ps, tags, conflicts);
    }

    /// <summary>The per-epoch points of one metrics.csv row set, keys sanitized, timestamps from the start plus epoch seconds.</summary>
    public static List<MlflowMetric> Points(TidyTable table, long startMs)
    {
        var points = new List<MlflowMetric>();
        if (!table.Has(MetricColumns.Epoch)) return points;
        double elapsedMs = 0;
        for (int i = 0; i < table.Rows.Count; i++)
        {
            int epoch = (int)table.Number(i, MetricColumns.Epoch);
            if (table.Has("epoch_seconds") && table.Number(i, "epoch_seconds") is double s && double.IsFinite(s) && s > 0) elapsedMs += s * 1000;
            long ts = startMs + (long)elapsedMs;
            foreach (var column in table.Columns)
                if (column != MetricColumns.Epoch)
                    points.Add(new MlflowMetric(MlflowKeys.Sanitize(column), table.Number(i, column), ts, epoch));
        }
        return points;
    }

    /// <summary>(epoch, train_accuracy, test_accuracy) of every row of a metrics table.</summary>
    public static List<(int Epoch, double TrainAccuracy, double TestAccuracy)> Accuracies(TidyTable table)
    {
        var rows = new List<(int, double, double)>();
        if (!table.Has(MetricColumns.Epoch)) return rows;
        for (int i = 0; i < table.Rows.Count; i++)
            rows.Add(((int)table.Number(i, MetricColumns.Epoch),
                table.Has("train_accuracy") ? table.Number(i, "train_accuracy") : double.NaN,
                table.Has("test_accuracy") ? table.Number(i, "test_accuracy") : double.NaN));
        return rows;
    }
}
