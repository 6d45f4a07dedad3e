using Harness.Native;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Execution;

/// <summary>
/// Schedules planned runs on this machine: skips finished runs, repairs damaged ones, claims runs against other
/// workers, groups runs that differ only by seed into fused sessions, keeps the time estimate, and honours a stop.
/// Each claimed chunk is trained by one <see cref="RunSession"/>; a run that fails is recorded as failed and the
/// sweep goes on.
/// </summary>
/// <param name="layout">The experiment's results folder.</param>
/// <param name="datasets">Prepared-data cache.</param>
/// <param name="mirrors">Sinks after the run's files (console, MLflow, ...); the log file sink comes first.</param>
/// <param name="warn">Also receives a failing sink's one-line warning, which always goes to the run's log.txt (unless the log is what failed).</param>
public sealed class RunExecutor(ResultsLayout layout, DatasetCache datasets, IReadOnlyList<IMetricSink> mirrors, Action<string>? warn = null)
{
    /// <summary>Trains every run of <paramref name="runs"/> that is not finished.</summary>
    public SweepResult Run(IReadOnlyList<RunSpec> runs, ExecutorOptions options, IProgress<RunProgress>? progress = null, CancellationToken stop = default)
    {
        TorchRuntime.EnsureLoaded();
        var todo = runs.Where(r => NeedsTraining(r, options)).ToArray();
        var store = new RunStore(layout);
        // Damaged runs are repaired before they are grouped: a repair may drop a checkpoint, which changes the fused group a run fits.
        foreach (var run in todo.Where(r => RunFileCheck.Damage(layout, r.RunId) is not null))
            using (var claim = RunLock.TryAcquire(layout.RunDirectory(run.RunId)))
                if (claim is not null) RunRepair.IfDamaged(layout, store, run);
        using var log = new LogFileSink(layout);
        void Warn(RunRecord run, IMetricSink failed, string message)
        {
            if (failed != log) log.Warn(run, message);
            warn?.Invoke(message);
        }
        var sweep = new SweepContext(layout, datasets, store, new SinkFanout([log, .. mirrors], Warn),
            Provenance.Detect(AppContext.BaseDirectory), TorchRuntime.Versions(), options.EvaluationBatchSize);
        var eta = new SweepClock(todo);
        var tally = new Tally(options.MaxRuns ?? int.MaxValue);
        // Passes over the plan until one trains nothing: a run claimed by a worker that later died becomes
        // claimable (stale) and is picked up by a following pass. No run is attempted twice in one invocation.
        var attempted = new HashSet<string>(StringComparer.Ordinal);
        var position = todo.Select((run, i) => (run, i)).ToDictionary(p => p.run.RunId, p => p.i, StringComparer.Ordinal);
        bool trainedInPass;
        do
        {
            trainedInPass = false;
            foreach (var chunk in Chunks(todo.Where(r => !attempted.Contains(r.RunId)).ToArray(), options.SeedParallel))
            {
                if (stop.IsCancellationRequested || tally.Left == 0) break;
                var claims = Claim(chunk, tally.Left, attempted, store, options);
                try
                {
                    if (claims.Count == 0) continue;
                    var claimed = claims.Select(c => c.Run).ToArray();
                    tally.Add(Train(sweep, claimed, position[claimed[0].RunId], todo.Length, eta, progress, stop));
                    trainedInPass = true;
                    ExperimentMetrics.WriteUnion(layout);
                }
                finally
                {
                    foreach (var (_, claim) in claims) claim.Dispose();
                }
            }
        }
        while (trainedInPass && !stop.IsCancellationRequested && tally.Left > 0);
        return new SweepResult(runs.Count, runs.Count - tally.Total, tally.Finished, tally.Failed, tally.Interrupted);
    }

    /// <summary>
    /// Claims up to <paramref name="left"/> runs of <paramref name="chunk"/>, then looks again: another worker may have
    /// finished a run in the meantime. A group trains the members it could claim (fewer than K when others are busy).
    /// </summary>
    private List<(RunSpec Run, RunLock Claim)> Claim(RunSpec[] chunk, int left, HashSet<string> attempted, RunStore store, ExecutorOptions options)
    {
        var claims = new List<(RunSpec, RunLock)>();
        foreach (var run in chunk)
        {
            if (claims.Count >= left) break;
            var claim = RunLock.TryAcquire(layout.RunDirectory(run.RunId));
            if (claim is null) continue;
            attempted.Add(run.RunId);
            if (!NeedsTraining(run, options)) { claim.Dispose(); continue; }
            RunRepair.IfDamaged(layout, store, run); // under the claim: nobody else writes its files now
            claims.Add((run, claim));
        }
        return claims;
    }

    /// <summary>One session over <paramref name="claimed"/>, reporting progress as the <paramref name="index"/>-th of <paramref name="count"/> runs.</summary>
    private static IReadOnlyList<RunOutcome> Train(SweepContext sweep, RunSpec[] claimed, int index, int count, SweepClock eta,
        IProgress<RunProgress>? progress, CancellationToken stop)
    {
        var first = claimed[0];
        string name = claimed.Length == 1 ? first.DisplayName : $"{first.DisplayName} (+{claimed.Length - 1} fused)";
        return new RunSession(sweep, claimed).Train(
            (group, epochsLeft) => eta.StartRun(group.BatchesPerEpoch, epochsLeft, group.Members),
            b =>
            {
                eta.Batch();
                progress?.Report(new RunProgress(index, count, name, b.Epoch, first.Epochs, b.Batch, b.Batches, eta.Remaining(index)));
            },
            stop);
    }

    private bool NeedsTraining(RunSpec run, ExecutorOptions options)
    {
        var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId));
        return status?.State switch
        {
            // A "finished" run whose metrics were cut short is not finished: it resumes.
            RunState.Finished => RunFileCheck.Damage(layout, run.RunId) is not null,
            RunState.Failed => options.RetryFailed,
            _ => true,
        };
    }

    /// <summary>
    /// Groups the runs that differ only by seed (same condition and grid point) and have stopped after the same
    /// epoch, in plan order, into chunks of at most <paramref name="seedParallel"/>.
    /// </summary>
    private IEnumerable<RunSpec[]> Chunks(IReadOnlyList<RunSpec> runs, int seedParallel)
    {
        if (seedParallel <= 1) return runs.Select(r => new[] { r });
        // The fused trainer does not augment: augmented runs train standalone.
        return runs.Where(r => r.Data.Augment is { IsIdentity: false }).Select(r => new[] { r }).Concat(runs
            .Where(r => r.Data.Augment is not { IsIdentity: false })
            .GroupBy(r => (RunIds.Canonical(r with { Seed = 0 }), Checkpoint.CompletedEpoch(layout.RunCheckpointDirectory(r.RunId))))
            .SelectMany(g => g.Chunk(seedParallel)));
    }

    /// <summary>The sweep's counts so far, and how many runs the budget still allows.</summary>
    private sealed class Tally(int budget)
    {
        public int Finished { get; private set; }
        public int Failed { get; private set; }
        public int Interrupted { get; private set; }
        public int Total => Finished + Failed + Interrupted;
        public int Left => Math.Max(0, budget - Total);

        public void Add(IEnumerable<RunOutcome> outcomes)
        {
            foreach (var outcome in outcomes)
            {
                switch (outcome.State)
                {
                    case RunState.Finished: Finished++; break;
                    case RunState.Failed: Failed++; break;
                    default: Interrupted++; break;
                }
            }
        }
    }
}
