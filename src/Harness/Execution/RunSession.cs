using System.Globalization;
using Harness.Attribution;
using Harness.Data;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;
using Harness.Training.SeedParallel;
using TorchSharp;

namespace Harness.Execution;

/// <summary>
/// Assembles and drives one run session: one run, or K runs that differ only by seed trained as one fused group,
/// through the same steps. Data, networks and optimizers, checkpoint restore, the records, every epoch into the
/// run's files and then the mirrors, a checkpoint per epoch, and at the end the prediction panel and attribution
/// maps and the training verdict. Each member ends on its own: a member that diverges fails alone with the
/// standalone reason; an error of the session (data, device, memory) fails every member still training; a stop
/// interrupts them all, and each resumes from its own checkpoint, fused or alone.
/// </summary>
/// <param name="sweep">What the sweep's sessions share.</param>
/// <param name="specs">The runs, in seed order, claimed by the caller.</param>
public sealed class RunSession(SweepContext sweep, IReadOnlyList<RunSpec> specs)
{
    private readonly RunRecord?[] records = new RunRecord?[specs.Count];
    private readonly RunOutcome?[] outcomes = new RunOutcome?[specs.Count];
    private int epochsDone;

    /// <summary>
    /// Trains the runs to their last epoch (or until <paramref name="stop"/>) and returns each one's outcome.
    /// <paramref name="started"/> learns the group and the epochs left before the first batch; <paramref name="onBatch"/> hears every batch.
    /// </summary>
    public IReadOnlyList<RunOutcome> Train(Action<ITrainingGroup, int>? started = null, Action<BatchProgress>? onBatch = null, CancellationToken stop = default)
    {
        try
        {
            TrainToEnd(started, onBatch, stop);
            return Finish(new RunOutcome(RunState.Finished, epochsDone));
        }
        catch (OperationCanceledException)
        {
            return Finish(new RunOutcome(RunState.Interrupted, epochsDone, "stopped by a signal; resumes from its last checkpoint"));
        }
        catch (Exception e) when (e is not OutOfMemoryException && !FileSystemErrors.IsDiskFull(e)) // a full disk stops the sweep; the run resumes later
        {
            return Finish(new RunOutcome(RunState.Failed, epochsDone, $"{e.GetType().Name}: {e.Message}", Error: e));
        }
    }

    private void TrainToEnd(Action<ITrainingGroup, int>? started, Action<BatchProgress>? onBatch, CancellationToken stop)
    {
        var first = specs[0];
        torch.set_num_threads(first.Threads);
        var (device, deviceName) = DeviceSelector.Resolve(first.Device);
        var data = sweep.Datasets.Get(first.Data, first.Image);
        var train = specs.Select(s => TrainingSetView.ForSeed(data, s.Data.TrainSubset, s.Control, s.Seed)).ToArray();
        using var group = TrainingGroup.Create(specs, train, data.Tests.Select(t => (t.Name, t.Images)).ToArray(),
            data.ClassNames.Count, device, sweep.EvaluationBatchSize);
        var checkpoints = specs.Select(s => sweep.Layout.RunCheckpointDirectory(s.RunId)).ToArray();
        epochsDone = group.Restore(checkpoints);
        Start(group, deviceName, data, train);
        started?.Invoke(group, first.Epochs - epochsDone);
        foreach (var epoch in group.Train(epochsDone, onBatch, stop))
        {
            var healthy = new List<int>();
            foreach (var member in epoch)
            {
                if (member.Metrics is { } metrics)
                {
                    sweep.Store.EpochCompleted(records[member.Member]!, metrics);
                    sweep.Sinks.EpochCompleted(records[member.Member]!, metrics);
                    healthy.Add(member.Member);
                }
                else outcomes[member.Member] = End(member.Member, new RunOutcome(RunState.Failed, epochsDone, member.Divergence!.Message, Error: member.Divergence));
            }
            int done = epoch[0].Metrics?.Epoch ?? epoch[0].Divergence!.Epoch;
            group.Save(checkpoints, healthy, done);
            epochsDone = done;
        }
        for (int m = 0; m < specs.Count; m++)
        {
            if (outcomes[m] is not null) continue;
            if (data.Tests.Count > 0)
                PredictionExamples.Write(sweep.Layout.RunDirectory(specs[m].RunId), group.Member(m), data.Tests[0].Images, data.ClassNames, group.Device);
            outcomes[m] = End(m, Finished(specs[m], train[m]));
        }
    }

    /// <summary>Writes every member's record and tells its files and the mirrors that it starts (or resumes).</summary>
    private void Start(ITrainingGroup group, string deviceName, PreparedDataset data, IReadOnlyList<LabeledImages> train)
    {
        // How the runs were executed (one model or a fused group; batch layout) changes float rounding, so a run
        // reproduces bit for bit only in the same mode.
        var versions = new SortedDictionary<string, string>(sweep.Versions.ToDictionary(), StringComparer.Ordinal)
        {
            ["execution"] = $"{group.ExecutionMode}, {(group.ChannelsLast ? "channels-last" : "standard-layout")} batches",
        };
        string startedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        for (int m = 0; m < specs.Count; m++)
        {
            var record = records[m] = new RunRecord(specs[m], sweep.Provenance.GitCommit, sweep.Provenance.GitDirty, versions, deviceName,
                Environment.MachineName, data.ClassNames, data.Fingerprint, TrainNotes(data, train[m]), startedAt, epochsDone);
            sweep.Store.Started(record);
            sweep.Sinks.RunStarted(record);
        }
    }

    /// <summary>A finished run with its training verdict, judged from every epoch of its metrics file against its training set's chance level.</summary>
    private RunOutcome Finished(RunSpec spec, LabeledImages train) =>
        new(RunState.Finished, epochsDone, Verdict: RunJudgement.Judge(sweep.Layout.RunMetricsCsv(spec.RunId), TrainingOutcomeRules.ChanceAccuracy(train.Labels)));

    private RunOutcome End(int member, RunOutcome outcome)
    {
        if (records[member] is not { } record)
        {
            // Failed before the run could start: its status still says why, and the mirrors see it fail like any other run.
            record = sweep.Store.EndedBeforeStart(specs[member], outcome, () => PreStartRecord(specs[member]));
            sweep.Sinks.RunStarted(record);
        }
        else sweep.Store.Ended(record, outcome);
        sweep.Sinks.RunEnded(record, outcome);
        return outcome;
    }

    private RunOutcome[] Finish(RunOutcome outcome)
    {
        for (int m = 0; m < specs.Count; m++) outcomes[m] ??= End(m, outcome);
        return outcomes.Select(o => o!).ToArray();
    }

    /// <summary>The record of a run known only by its spec and the sweep's provenance.</summary>
    private RunRecord PreStartRecord(RunSpec spec) =>
        new(spec, sweep.Provenance.GitCommit, sweep.Provenance.GitDirty, sweep.Versions, "none (failed before start)", Environment.MachineName,
            [], "", new Dictionary<string, string>(), DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));

    private static IReadOnlyDictionary<string, string> TrainNotes(PreparedDataset data, LabeledImages train)
    {
        var notes = new SortedDictionary<string, string>(data.Notes.ToDictionary(), StringComparer.Ordinal)
        {
            ["train_images_used"] = train.Count.ToString(CultureInfo.InvariantCulture),
        };
        if (data.BayesOptimalAccuracy is { } bayes) notes["bayes_optimal_accuracy"] = bayes.ToString("R", CultureInfo.InvariantCulture);
        // What the accuracies rest on: a folder that saves each tile under several names holds fewer images than files.
        notes[DistinctImageNotes.Key("train")] = DistinctImageNotes.Value(DistinctImages.CountOf(train), train.Count);
        for (int i = 0; i < data.Tests.Count; i++)
        {
            var test = data.Tests[i].Images;
            notes[DistinctImageNotes.Key(MetricColumns.TestPrefix(i, data.Tests[i].Name))] =
                DistinctImageNotes.Value(DistinctImages.Of(test).Images.Count, test.Count);
        }
        return notes;
    }
}
