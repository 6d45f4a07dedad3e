namespace Harness.Tracking.Mlflow;

/// <summary>
/// One MLflow run being kept in step with a harness run: which (key, step) points the server already holds, so
/// nothing is sent twice. What is known comes from the run as found (a key absent from its latest metrics has no
/// history), from the metric history read on demand, and from what was sent since. After a failed send the
/// knowledge is dropped and read again from the server.
/// </summary>
internal sealed class MirroredRun(MlflowRun run, bool created)
{
    private readonly Dictionary<string, HashSet<long>> present = new(StringComparer.Ordinal);
    private bool snapshotValid = true;

    public MlflowRun Run { get; set; } = run;
    public bool Created { get; } = created;

    /// <summary>The candidates whose (key, step) the server does not hold yet.</summary>
    public async Task<List<MlflowMetric>> MissingAsync(MlflowClient client, IEnumerable<MlflowMetric> candidates, CancellationToken ct)
    {
        var list = candidates.ToList();
        foreach (var key in list.Select(m => m.Key).Distinct().ToList())
        {
            if (present.ContainsKey(key)) continue;
            // A key whose only candidate step is its latest point's step (summary metrics) is already there: no history read.
            if (snapshotValid && Run.LatestMetrics.TryGetValue(key, out var latest) && list.Where(m => m.Key == key).All(m => m.Step == latest.Step))
            {
                list.RemoveAll(m => m.Key == key);
                continue;
            }
            bool knownEmpty = snapshotValid && !Run.LatestMetrics.ContainsKey(key);
            present[key] = knownEmpty ? [] : (await client.GetMetricHistoryAsync(Run.RunId, key, ct)).Select(m => m.Step).ToHashSet();
        }
        return list.Where(m => !present[m.Key].Contains(m.Step)).ToList();
    }

    /// <summary>Records points the server acknowledged.</summary>
    public void MarkSent(IEnumerable<MlflowMetric> sent)
    {
        foreach (var m in sent)
        {
            if (!present.TryGetValue(m.Key, out var steps)) present[m.Key] = steps = [];
            steps.Add(m.Step);
        }
    }

    /// <summary>A send failed in an unknown state: read the history again before the next one.</summary>
    public void Forget()
    {
        present.Clear();
        snapshotValid = false;
    }
}
