using Harness.Data;
using Harness.Models;
using Harness.Specs;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// K runs that differ only by seed as one <see cref="FusedEnsemble"/> with its <see cref="SeedParallelTrainer"/>.
/// A standalone network of the same architecture (the scratch) carries members out of the fused model: into their
/// per-member checkpoints, the activation probe, and end-of-run artifacts.
/// </summary>
internal sealed class FusedTraining : ITrainingGroup
{
    private readonly FusedEnsemble model;
    private readonly optim.Optimizer optimizer;
    private readonly SequentialNetwork scratch;
    private readonly optim.Optimizer scratchOptimizer;
    private readonly List<DeviceImages> train = [];
    private readonly DeviceImages? trainMeasured;
    private readonly (string Name, DeviceImages Images)[] tests;
    private readonly SeedParallelTrainer trainer;
    private readonly IReadOnlyList<RunSpec> specs;

    public FusedTraining(IReadOnlyList<RunSpec> specs, IReadOnlyList<LabeledImages> trainImages,
        IReadOnlyList<(string Name, LabeledImages Images)> testImages, ModelShape shape, Device device, int evaluationBatchSize)
    {
        var first = specs[0];
        if (specs.Any(s => s.Data.Augment is { IsIdentity: false }))
            throw new ArgumentException("augmented runs train one at a time: the fused trainer does not augment", nameof(specs));
        this.specs = specs;
        Device = device;
        model = FusedEnsemble.Create(first.Architecture, shape, first.Init, specs.Select(s => s.Seed).ToArray(), device);
        optimizer = OptimizerFactory.Create(first.Optimizer, model.OrderedParameters);
        using (var init = new Generator((ulong)RunSeeds.Initialization(first.Seed)))
            scratch = ModelRegistry.Create(first.Architecture, shape, first.Init, init);
        scratch.to(device);
        scratchOptimizer = OptimizerFactory.Create(first.Optimizer, scratch.parameters());
        // Members that train on the same images (no per-seed subset or control) share one device copy.
        var uploaded = new Dictionary<LabeledImages, DeviceImages>(ReferenceEqualityComparer.Instance);
        foreach (var images in trainImages)
        {
            if (!uploaded.TryGetValue(images, out var onDevice)) uploaded[images] = onDevice = new DeviceImages(images, device);
            train.Add(onDevice);
        }
        trainMeasured = DeviceImages.DistinctAcross(uploaded.Count == 1 ? [trainImages[0]] : trainImages, device);
        tests = testImages.Select(t => (t.Name, DeviceImages.Distinct(t.Images, device))).ToArray();
        trainer = new SeedParallelTrainer(specs, model, optimizer, train, tests, evaluationBatchSize, scratch, trainMeasured);
    }

    public int Members => specs.Count;
    public string ExecutionMode => $"seed-parallel group of {specs.Count} (seeds {string.Join(", ", specs.Select(s => s.Seed))})";
    public bool ChannelsLast => model.ChannelsLast;
    public Device Device { get; }
    public int BatchesPerEpoch => trainer.BatchesPerEpoch;

    public int Restore(IReadOnlyList<string> checkpoints) => FusedCheckpoint.Restore(checkpoints, model, optimizer, scratch, scratchOptimizer);

    public IEnumerable<IReadOnlyList<MemberEpoch>> Train(int epochsDone, Action<BatchProgress>? onBatch, CancellationToken stop) =>
        trainer.Train(epochsDone, onBatch, stop);

    public void Save(IReadOnlyList<string> checkpoints, IEnumerable<int> members, int epoch) =>
        FusedCheckpoint.Save(checkpoints, members, epoch, model, optimizer, scratch, scratchOptimizer);

    public SequentialNetwork Member(int member)
    {
        model.StoreMember(member, scratch);
        return scratch;
    }

    public void Dispose()
    {
        foreach (var images in train.Distinct()) images.Dispose();
        trainMeasured?.Dispose();
        foreach (var (_, images) in tests) images.Dispose();
        scratchOptimizer.Dispose();
        scratch.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
