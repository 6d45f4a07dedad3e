using System.Diagnostics;
using System.Globalization;
using Harness.Attribution;
using Harness.Data;
using Harness.Models;
using Harness.Native;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Execution;

/// <summary>
/// Runs planned runs on this machine, one after another: skips finished runs, resumes interrupted ones from their
/// checkpoint, and fans each epoch's metrics out to the sinks (CSV and log always; MLflow when given).
/// A run that fails is recorded as failed and the sweep goes on.
/// </summary>
/// <param name="layout">The experiment's results folder.</param>
/// <param name="datasets">Prepared-data cache.</param>
/// <param name="mirrors">Extra sinks (MLflow, ...), after the CSV and log sinks.</param>
public sealed class RunExecutor(ResultsLayout layout, DatasetCache datasets, IReadOnlyList<IMetricSink> mirrors)
{
    private Provenance? sweepProvenance;
    private IReadOnlyDictionary<string, string> sweepVersions = new Dictionary<string, string>();

    /// <summary>Trains every run of <paramref name="runs"/> that is not finished.</summary>
    public SweepResult Run(IReadOnlyList<RunSpec> runs, ExecutorOptions options, IProgress<RunProgress>? progress = null, CancellationToken stop = default)
    {
        TorchRuntime.EnsureLoaded();
        var todo = runs.Where(r => NeedsTraining(r, options)).ToArray();
        // Damaged runs are repaired before they are grouped: a repair may drop a checkpoint, which changes the fused group a run fits.
        foreach (var run in todo.Where(r => RunFileCheck.Damage(layout, r.RunId) is not null))
            using (var claim = RunLock.TryAcquire(layout.RunDirectory(run.RunId)))
                if (claim is not null) RunRepair.IfDamaged(layout, run);
        int finished = 0, failed = 0, interrupted = 0;
        var provenance = sweepProvenance = Provenance.Detect(AppContext.BaseDirectory);
        var versions = sweepVersions = TorchRuntime.Versions();
        using var csv = new CsvMetricSink(layout);
        using var log = new LogFileSink(layout);
        IMetricSink[] sinks = [csv, log, .. mirrors];
        var eta = new SweepClock(todo);
        // Passes over the plan until one trains nothing: a run claimed by a worker that later died becomes
        // claimable (stale) and is picked up by a following pass. No run is attempted twice in one invocation.
        var attempted = new HashSet<string>(StringComparer.Ordinal);
        var position = todo.Select((run, i) => (run, i)).ToDictionary(p => p.run.RunId, p => p.i, StringComparer.Ordinal);
        bool Budget() => !stop.IsCancellationRequested && finished + failed + interrupted < (options.MaxRuns ?? int.MaxValue);
        bool trainedInPass;
        do
        {
            trainedInPass = false;
            foreach (var chunk in Chunks(todo.Where(r => !attempted.Contains(r.RunId)).ToArray(), options.SeedParallel))
            {
                if (!Budget()) break;
                int left = (options.MaxRuns ?? int.MaxValue) - (finished + failed + interrupted);
                // Claim first, then look again: another worker may have finished a run in the meantime. A group
                // trains the members it could claim (fewer than K when others are busy).
                var claims = new List<RunLock>();
                var claimed = new List<RunSpec>();
                try
                {
                    foreach (var run in chunk)
                    {
                        if (claimed.Count >= left) break;
                        var claim = RunLock.TryAcquire(layout.RunDirectory(run.RunId));
                        if (claim is null) continue;
                        attempted.Add(run.RunId);
                        if (!NeedsTraining(run, options)) { claim.Dispose(); continue; }
                        RunRepair.IfDamaged(layout, run); // under the claim: nobody else writes its files now
                        claims.Add(claim);
                        claimed.Add(run);
                    }
                    if (claimed.Count == 0) continue;
                    int index = position[claimed[0].RunId];
                    var outcomes = claimed.Count == 1
                        ? [RunOne(claimed[0], index, todo.Length, sinks, provenance, versions, options, eta, progress, stop)]
                        : RunGroup(claimed, index, todo.Length, sinks, provenance, versions, options, eta, progress, stop);
                    foreach (var outcome in outcomes)
                    {
                        switch (outcome.State)
                        {
                            case RunState.Finished: finished++; break;
                            case RunState.Failed: failed++; break;
                            default: interrupted++; break;
                        }
                    }
                    trainedInPass = true;
                    ExperimentMetrics.WriteUnion(layout);
                }
                finally
                {
                    foreach (var claim in claims) claim.Dispose();
                }
            }
        }
        while (trainedInPass && Budget());
        return new SweepResult(runs.Count, runs.Count - (finished + failed + interrupted), finished, failed, interrupted);
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

    private RunOutcome RunOne(RunSpec spec, int index, int count, IMetricSink[] sinks, Provenance provenance,
        IReadOnlyDictionary<string, string> versions, ExecutorOptions options, SweepClock eta, IProgress<RunProgress>? progress, CancellationToken stop)
    {
        RunRecord? record = null;
        int epochsDone = 0;
        try
        {
            torch.set_num_threads(spec.Threads);
            var (device, deviceName) = DeviceSelector.Resolve(spec.Device);
            var data = datasets.Get(spec.Data, spec.Image);
            var trainImages = TrainingSetView.ForSeed(data, spec.Data.TrainSubset, spec.Control, spec.Seed);
            var shape = new ModelShape(trainImages.Channels, trainImages.Height, trainImages.Width, data.ClassNames.Count);

            using var init = new Generator((ulong)RunSeeds.Initialization(spec.Seed));
            using var model = ModelRegistry.Create(spec.Architecture, shape, spec.Init, init);
            model.to(device);
            using var optimizer = OptimizerFactory.Create(spec.Optimizer, model.parameters());
            string checkpoint = layout.RunCheckpointDirectory(spec.RunId);
            epochsDone = Checkpoint.TryRestore(checkpoint, model, optimizer);

            var executed = Executed(versions, device, "one model");
            record = new RunRecord(spec, provenance.GitCommit, provenance.GitDirty, executed, deviceName, Environment.MachineName,
                data.ClassNames, data.Fingerprint, WithTrainNotes(data, trainImages),
                DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), epochsDone);
            foreach (var sink in sinks) sink.RunStarted(record);

            using var train = new DeviceImages(trainImages, device);
            var tests = data.Tests.Select(t => (t.Name, new DeviceImages(t.Images, device))).ToArray();
            try
            {
                Func<int, LabeledImages>? augmented = spec.Data.Augment is { IsIdentity: false } augment
                    ? epoch => Augmentation.Apply(trainImages, augment, spec.Seed, epoch)
                    : null;
                var trainer = new Trainer(spec, model, optimizer, train, tests, options.EvaluationBatchSize, augmented);
                eta.StartRun(trainer.BatchesPerEpoch, spec.Epochs - epochsDone);
                void OnBatch(BatchProgress b)
                {
                    eta.Batch();
                    progress?.Report(new RunProgress(index, count, spec.DisplayName, b.Epoch, spec.Epochs, b.Batch, b.Batches, eta.Remaining(index)));
                }
                foreach (var metrics in trainer.Train(epochsDone, OnBatch, stop))
                {
                    foreach (var sink in sinks) sink.EpochCompleted(record, metrics);
                    Checkpoint.Save(checkpoint, metrics.Epoch, model, optimizer);
                    epochsDone = metrics.Epoch;
                }
            }
            finally
            {
                foreach (var (_, images) in tests) images.Dispose();
            }
            if (data.Tests.Count > 0)
                PredictionExamples.Write(layout.RunDirectory(spec.RunId), model, data.Tests[0].Images, data.ClassNames, device);
            return End(record, sinks, Finished(spec, epochsDone, trainImages));
        }
        catch (OperationCanceledException)
        {
            return End(record, spec, sinks, new RunOutcome(RunState.Interrupted, epochsDone, "stopped by a signal; resumes from its last checkpoint"));
        }
        catch (Exception e) when (e is not OutOfMemoryException && !FileSystemErrors.IsDiskFull(e)) // a full disk stops the sweep; the run resumes later
        {
            string reason = e is NonFiniteLossException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            return End(record, spec, sinks, new RunOutcome(RunState.Failed, epochsDone, reason, Error: e));
        }
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

    /// <summary>
    /// Trains K runs that differ only by seed as one <see cref="FusedEnsemble"/>. Each member is a run as usual:
    /// its own record, sink calls, metrics, status and per-member checkpoint. A member that diverges fails alone
    /// with the standalone reason; an error of the group (data, device, memory) fails every member still training;
    /// a stop interrupts them all (each resumes from its own checkpoint, fused or alone).
    /// </summary>
    private RunOutcome[] RunGroup(IReadOnlyList<RunSpec> specs, int index, int count, IMetricSink[] sinks, Provenance provenance,
        IReadOnlyDictionary<string, string> versions, ExecutorOptions options, SweepClock eta, IProgress<RunProgress>? progress, CancellationToken stop)
    {
        int k = specs.Count;
        var records = new RunRecord?[k];
        var outcomes = new RunOutcome?[k];
        int epochsDone = 0;
        var first = specs[0];
        string name = $"{first.DisplayName} (+{k - 1} fused)";
        try
        {
            torch.set_num_threads(first.Threads);
            var (device, deviceName) = DeviceSelector.Resolve(first.Device);
            var data = datasets.Get(first.Data, first.Image);
            var trainImages = specs.Select(s => TrainingSetView.ForSeed(data, s.Data.TrainSubset, s.Control, s.Seed)).ToArray();
            var shape = new ModelShape(trainImages[0].Channels, trainImages[0].Height, trainImages[0].Width, data.ClassNames.Count);

            using var model = FusedEnsemble.Create(first.Architecture, shape, first.Init, specs.Select(s => s.Seed).ToArray(), device);
            using var optimizer = OptimizerFactory.Create(first.Optimizer, model.OrderedParameters);
            // A standalone member, the go-between for the per-member checkpoints.
            using var scratchInit = new Generator((ulong)RunSeeds.Initialization(first.Seed));
            using var scratch = ModelRegistry.Create(first.Architecture, shape, first.Init, scratchInit);
            scratch.to(device);
            using var scratchOptimizer = OptimizerFactory.Create(first.Optimizer, scratch.parameters());
            var checkpoints = specs.Select(s => layout.RunCheckpointDirectory(s.RunId)).ToArray();
            epochsDone = FusedCheckpoint.Restore(checkpoints, model, optimizer, scratch, scratchOptimizer);

            string started = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            for (int m = 0; m < k; m++)
            {
                var executed = Executed(versions, device, $"seed-parallel group of {k} (seeds {string.Join(", ", specs.Select(s => s.Seed))})");
                records[m] = new RunRecord(specs[m], provenance.GitCommit, provenance.GitDirty, executed, deviceName, Environment.MachineName,
                    data.ClassNames, data.Fingerprint, WithTrainNotes(data, trainImages[m]), started, epochsDone);
                foreach (var sink in sinks) sink.RunStarted(records[m]!);
            }

            var train = new List<DeviceImages>();
            var tests = data.Tests.Select(t => (t.Name, new DeviceImages(t.Images, device))).ToArray();
            try
            {
                // Members that train on the same images (no per-seed subset or control) share one device copy.
                var uploaded = new Dictionary<LabeledImages, DeviceImages>(ReferenceEqualityComparer.Instance);
                foreach (var images in trainImages)
                {
                    if (!uploaded.TryGetValue(images, out var onDevice)) uploaded[images] = onDevice = new DeviceImages(images, device);
                    train.Add(onDevice);
                }
                var trainer = new SeedParallelTrainer(specs, model, optimizer, train, tests, options.EvaluationBatchSize, scratch);
                eta.StartRun(trainer.BatchesPerEpoch, first.Epochs - epochsDone, k);
                void OnBatch(BatchProgress b)
                {
                    eta.Batch();
                    progress?.Report(new RunProgress(index, count, name, b.Epoch, first.Epochs, b.Batch, b.Batches, eta.Remaining(index)));
                }
                foreach (var epoch in trainer.Train(epochsDone, OnBatch, stop))
                {
                    var healthy = new List<int>();
                    foreach (var member in epoch)
                    {
                        if (member.Metrics is { } metrics)
                        {
                            foreach (var sink in sinks) sink.EpochCompleted(records[member.Member]!, metrics);
                            healthy.Add(member.Member);
                        }
                        else
                        {
                            outcomes[member.Member] = End(records[member.Member]!, sinks,
                                new RunOutcome(RunState.Failed, epochsDone, member.Divergence!.Message));
                        }
                    }
                    int done = epoch[0].Metrics?.Epoch ?? epoch[0].Divergence!.Epoch;
                    FusedCheckpoint.Save(checkpoints, healthy, done, model, optimizer, scratch, scratchOptimizer);
                    epochsDone = done;
                }
            }
            finally
            {
                foreach (var images in train.Distinct()) images.Dispose();
                foreach (var (_, images) in tests) images.Dispose();
            }
            for (int m = 0; m < k; m++) outcomes[m] ??= End(records[m]!, sinks, Finished(specs[m], epochsDone, trainImages[m]));
            return Finish(new RunOutcome(RunState.Finished, epochsDone));
        }
        catch (OperationCanceledException)
        {
            return Finish(new RunOutcome(RunState.Interrupted, epochsDone, "stopped by a signal; resumes from its last checkpoint"));
        }
        catch (Exception e) when (e is not OutOfMemoryException && !FileSystemErrors.IsDiskFull(e))
        {
            return Finish(new RunOutcome(RunState.Failed, epochsDone, $"{e.GetType().Name}: {e.Message}", Error: e));
        }

        RunOutcome[] Finish(RunOutcome outcome)
        {
            for (int m = 0; m < k; m++)
                outcomes[m] ??= End(records[m], specs[m], sinks, outcome);
            return outcomes.Select(o => o!).ToArray();
        }
    }

    /// <summary>A finished run with its training verdict, judged from every epoch of its metrics file against its training set's chance level.</summary>
    private RunOutcome Finished(RunSpec spec, int epochs, LabeledImages train) =>
        new(RunState.Finished, epochs, Verdict: RunJudgement.Judge(layout.RunMetricsCsv(spec.RunId), TrainingOutcomeRules.ChanceAccuracy(train.Labels)));

    private RunOutcome End(RunRecord? record, RunSpec spec, IMetricSink[] sinks, RunOutcome outcome)
    {
        if (record is not null) return End(record, sinks, outcome);
        // Failed before the run could start (bad data, unknown device): still leave a status that says why.
        Directory.CreateDirectory(layout.RunDirectory(spec.RunId));
        RunStatusFile.Write(layout.RunStatusJson(spec.RunId), RunStatusFile.Now(outcome.State, 0, spec.Epochs, outcome.Reason, outcome.ErrorSummary));
        // ... and a run.yaml as far as it is known, and tell the mirrors (MLflow, console, log: the trace goes there), so that such a run is
        // seen as failed, with its reason, like any other; the CSV sink is left out: it would reset the metrics file of
        // an earlier start.
        var known = PreStartRecord(spec);
        foreach (var sink in sinks.Where(s => s is not CsvMetricSink))
        {
            sink.RunStarted(known);
            sink.RunEnded(known, outcome);
        }
        return outcome;
    }

    /// <summary>The record of a run that never got to start: an earlier start's run.yaml, else the spec and provenance alone (written).</summary>
    private RunRecord PreStartRecord(RunSpec spec)
    {
        string path = layout.RunYaml(spec.RunId);
        if (File.Exists(path))
        {
            try { return RunRecordYaml.Read(path); }
            catch (Exception e) when (e is IOException or InvalidDataException or YamlDotNet.Core.YamlException) { /* rewritten below */ }
        }
        var provenance = sweepProvenance ?? new Provenance("unknown", false);
        var record = new RunRecord(spec, provenance.GitCommit, provenance.GitDirty, sweepVersions, "none (failed before start)", Environment.MachineName,
            [], "", new Dictionary<string, string>(), DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        RunRecordYaml.Write(path, record);
        return record;
    }

    private static RunOutcome End(RunRecord record, IMetricSink[] sinks, RunOutcome outcome)
    {
        foreach (var sink in sinks) sink.RunEnded(record, outcome);
        return outcome;
    }

    /// <summary>
    /// The versions plus how the run was executed (one model or a fused group; batch layout): both change float
    /// rounding, so a run reproduces bit for bit only in the same mode.
    /// </summary>
    private static IReadOnlyDictionary<string, string> Executed(IReadOnlyDictionary<string, string> versions, Device device, string mode) =>
        new SortedDictionary<string, string>(versions.ToDictionary(), StringComparer.Ordinal)
        {
            ["execution"] = $"{mode}, {(BatchLayout.DefaultChannelsLast(device) ? "channels-last" : "standard-layout")} batches",
        };

    private static IReadOnlyDictionary<string, string> WithTrainNotes(PreparedDataset data, LabeledImages train)
    {
        var notes = new SortedDictionary<string, string>(data.Notes.ToDictionary(), StringComparer.Ordinal)
        {
            ["train_images_used"] = train.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (data.BayesOptimalAccuracy is { } bayes) notes["bayes_optimal_accuracy"] = bayes.ToString("R", CultureInfo.InvariantCulture);
        return notes;
    }

    /// <summary>
    /// Estimates the time left from the batches done so far in this sweep, counted per run: a fused batch of K
    /// seeds is K runs' batches, and the group's other members are not counted again as later runs.
    /// </summary>
    private sealed class SweepClock(IReadOnlyList<RunSpec> runs)
    {
        private readonly Stopwatch clock = new();
        private long batchesDone, batchesInRun, batchesPerEpoch;
        private int members = 1;

        public void StartRun(int perEpoch, int epochsLeft, int fusedMembers = 1)
        {
            batchesPerEpoch = perEpoch;
            members = fusedMembers;
            batchesInRun = (long)perEpoch * epochsLeft * fusedMembers;
            clock.Start();
        }

        public void Batch() { batchesDone += members; batchesInRun -= members; }

        public TimeSpan? Remaining(int runIndex)
        {
            if (batchesDone < 3 * members) return null;
            double perBatch = clock.Elapsed.TotalSeconds / batchesDone;
            long later = runs.Skip(runIndex + members).Sum(r => (long)r.Epochs * batchesPerEpoch);
            return TimeSpan.FromSeconds(perBatch * (batchesInRun + later));
        }
    }
}
