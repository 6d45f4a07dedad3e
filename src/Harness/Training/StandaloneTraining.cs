using Harness.Data;
using Harness.Models;
using Harness.Specs;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>One run's network, optimizer and <see cref="Trainer"/>: the group of one.</summary>
internal sealed class StandaloneTraining : ITrainingGroup
{
    private readonly SequentialNetwork model;
    private readonly optim.Optimizer optimizer;
    private readonly DeviceImages train;
    private readonly DeviceImages? trainMeasured;
    private readonly (string Name, DeviceImages Images)[] tests;
    private readonly Trainer trainer;

    public StandaloneTraining(RunSpec spec, LabeledImages trainImages, IReadOnlyList<(string Name, LabeledImages Images)> testImages,
        ModelShape shape, Device device, int evaluationBatchSize, bool? channelsLast)
    {
        Device = device;
        using (var init = new Generator((ulong)RunSeeds.Initialization(spec.Seed)))
            model = ModelRegistry.Create(spec.Architecture, shape, spec.Init, init);
        model.to(device);
        optimizer = OptimizerFactory.Create(spec.Optimizer, model.parameters());
        train = new DeviceImages(trainImages, device);
        trainMeasured = DeviceImages.DistinctAcross([trainImages], device);
        tests = testImages.Select(t => (t.Name, DeviceImages.Distinct(t.Images, device))).ToArray();
        Func<int, LabeledImages>? augmented = spec.Data.Augment is { IsIdentity: false } augment
            ? epoch => Augmentation.Apply(trainImages, augment, spec.Seed, epoch)
            : null;
        ChannelsLast = channelsLast ?? BatchLayout.DefaultChannelsLast(device);
        trainer = new Trainer(spec, model, optimizer, train, tests, evaluationBatchSize, augmented, ChannelsLast, trainMeasured);
    }

    public int Members => 1;
    public string ExecutionMode => "one model";
    public bool ChannelsLast { get; }
    public Device Device { get; }
    public int BatchesPerEpoch => trainer.BatchesPerEpoch;

    public int Restore(IReadOnlyList<string> checkpoints) => Checkpoint.TryRestore(checkpoints[0], model, optimizer);

    public IEnumerable<IReadOnlyList<MemberEpoch>> Train(int epochsDone, Action<BatchProgress>? onBatch, CancellationToken stop)
    {
        using var epochs = trainer.Train(epochsDone, onBatch, stop).GetEnumerator();
        while (true)
        {
            MemberEpoch result;
            try
            {
                if (!epochs.MoveNext()) yield break;
                result = new MemberEpoch(0, epochs.Current, null);
            }
            catch (NonFiniteLossException divergence)
            {
                result = new MemberEpoch(0, null, divergence);
            }
            yield return [result];
            if (result.Divergence is not null) yield break;
        }
    }

    public void Save(IReadOnlyList<string> checkpoints, IEnumerable<int> members, int epoch)
    {
        if (members.Contains(0)) Checkpoint.Save(checkpoints[0], epoch, model, optimizer);
    }

    public SequentialNetwork Member(int member) => member == 0 ? model : throw new ArgumentOutOfRangeException(nameof(member));

    public void Dispose()
    {
        train.Dispose();
        trainMeasured?.Dispose();
        foreach (var (_, images) in tests) images.Dispose();
        optimizer.Dispose();
        model.Dispose();
    }
}
