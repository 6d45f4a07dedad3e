using System.Diagnostics;
using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// The training loop of K runs that differ only by seed, trained as one <see cref="FusedEnsemble"/>. Each member
/// draws its batches in its own standalone order (<see cref="RunSeeds.DataOrder"/>), and the loss is the SUM of
/// the members' mean losses (each with its own L2 term), so each member's gradients and Adam/SGD updates, and the
/// shared learning-rate schedule, are those of its independent run: the batch loop is a run's own
/// (<see cref="EpochLoop"/>) with K members. Every epoch yields one <see cref="MemberEpoch"/> per member still training.
/// </summary>
/// <remarks>
/// <para>Dropout masks come from libtorch's global generator, which a standalone run seeds per epoch from its own
/// seed; one fused model can only seed it once, from the first member's seed, so dropout models train correctly
/// but not bit-for-bit like their standalone runs. Dropout-free architectures match to float tolerance.</para>
/// <para>A member whose running loss becomes non-finite is reported as diverged (the standalone error) and the
/// others go on: the members share no parameter and the loss's sum passes each member only its own gradient.</para>
/// <para><see cref="EpochMetrics.Seconds"/> is the fused epoch's wall time divided by the members still training
/// (each run's share), so summing runs' times still gives the compute spent.</para>
/// </remarks>
/// <param name="members">The members' runs, identical except for their seeds.</param>
/// <param name="model">The fused network.</param>
/// <param name="optimizer">Its optimizer, over <see cref="FusedEnsemble.OrderedParameters"/>.</param>
/// <param name="train">Each member's training images (a seed may select its own subset or control).</param>
/// <param name="tests">Named test sets, shared by all members; the first is the primary one.</param>
/// <param name="evaluationBatchSize">Batch size of the clean measurements.</param>
/// <param name="probeNetwork">
/// A standalone network of the members' architecture: after each epoch every member is copied into it and probed
/// there (<see cref="ActivationProbe"/>), exactly as its standalone run would be; null = no probe.
/// </param>
/// <param name="trainMeasured">
/// The members' training images as one set of their distinct images with a row of weights per member, when that is
/// fewer images than one member's set (<see cref="DeviceImages.DistinctAcross"/>); null = each member on its own set.
/// </param>
public sealed class SeedParallelTrainer(
    IReadOnlyList<RunSpec> members,
    FusedEnsemble model,
    optim.Optimizer optimizer,
    IReadOnlyList<DeviceImages> train,
    IReadOnlyList<(string Name, DeviceImages Images)> tests,
    int evaluationBatchSize = 200,
    Harness.Models.SequentialNetwork? probeNetwork = null,
    DeviceImages? trainMeasured = null)
{
    private readonly RunSpec spec = Validate(members, model, train);
    private readonly bool[] active = Enumerable.Repeat(true, members.Count).ToArray();
    private readonly bool sharedTrain = train.All(t => ReferenceEquals(t, train[0]));
    private readonly EpochLoop loop = new(members[0], members.Select(m => m.Seed).ToArray(), model, optimizer,
        model.OrderedParameters, model.Kernels, model.KernelPenalty);

    /// <summary>Batches in one training epoch (the last one may be smaller).</summary>
    public int BatchesPerEpoch => loop.BatchesPerEpoch(train[0].Count);

    /// <summary>
    /// Trains epochs <paramref name="epochsDone"/> + 1 .. <c>Epochs</c>, yielding each epoch's per-member results.
    /// Cancellation is honoured between batches.
    /// </summary>
    public IEnumerable<IReadOnlyList<MemberEpoch>> Train(int epochsDone = 0, Action<BatchProgress>? onBatch = null, CancellationToken stop = default)
    {
        int k = members.Count;
        for (int epoch = epochsDone + 1; epoch <= spec.Epochs && active.Any(a => a); epoch++)
        {
            var clock = Stopwatch.StartNew();
            var running = loop.Train(epoch, train[0].Count, train[0].Images.device, Forward, onBatch, stop);
            var results = new List<MemberEpoch>();
            var healthy = new List<int>();
            for (int m = 0; m < k; m++)
            {
                if (!active[m]) continue;
                if (double.IsFinite(running.Loss[m])) { healthy.Add(m); continue; }
                active[m] = false;
                results.Add(new MemberEpoch(m, null, new NonFiniteLossException(epoch, running.Loss[m])));
            }
            if (healthy.Count > 0)
            {
                var cleanTrain = FusedEvaluation.Measure("train", model, trainMeasured is null ? train : Enumerable.Repeat(trainMeasured, k).ToArray(), spec.Init, evaluationBatchSize);
                var measured = tests.Select(t => FusedEvaluation.Measure(t.Name, model, Enumerable.Repeat(t.Images, k).ToArray(), spec.Init, evaluationBatchSize)).ToArray();
                double seconds = clock.Elapsed.TotalSeconds / (healthy.Count + results.Count);
                foreach (int m in healthy)
                    results.Add(new MemberEpoch(m, new EpochMetrics(epoch, running.Loss[m], running.Accuracy[m], cleanTrain[m].Loss, cleanTrain[m].Accuracy,
                        measured.Select(t => t[m]).ToArray(), running.LearningRate, seconds, Probe(m)), null));
            }
            yield return results.OrderBy(r => r.Member).ToArray();
        }
    }

    /// <summary>Member <paramref name="member"/>'s health on its own probe batch, measured on a standalone copy.</summary>
    private ProbeMetrics? Probe(int member)
    {
        if (probeNetwork is null) return null;
        model.StoreMember(member, probeNetwork);
        return ActivationProbe.Measure(probeNetwork, train[member], BatchLayout.DefaultChannelsLast(train[member].Images.device));
    }

    /// <summary>The fused model's logits [K, B, classes] on each member's batch (its <paramref name="indices"/>), and the labels [K, B].</summary>
    private (Tensor Logits, Tensor Labels) Forward(Tensor[] indices)
    {
        int k = members.Count;
        // Member-major input from one shared set: one gather of all K batches (no second copy to stack them).
        var x = model.InputMemberMajor && sharedTrain
            ? train[0].Images.index_select(0, torch.cat(indices))
            : model.Stack(Enumerable.Range(0, k).Select(m => train[m].Images.index_select(0, indices[m])).ToArray());
        var y = torch.stack(Enumerable.Range(0, k).Select(m => train[m].Labels.index_select(0, indices[m])).ToArray());
        return (model.forward(x), y);
    }

    private static RunSpec Validate(IReadOnlyList<RunSpec> members, FusedEnsemble model, IReadOnlyList<DeviceImages> train)
    {
        if (members.Count != model.Members || train.Count != model.Members)
            throw new ArgumentException($"{model.Members} fused members need as many runs and training sets ({members.Count}, {train.Count} given)");
        string common = RunIds.Canonical(members[0] with { Seed = 0 });
        if (members.Any(m => RunIds.Canonical(m with { Seed = 0 }) != common))
            throw new ArgumentException("fused runs must differ only by their seed");
        if (train.Any(t => t.Count != train[0].Count))
            throw new ArgumentException("fused members need training sets of the same size");
        return members[0];
    }
}
