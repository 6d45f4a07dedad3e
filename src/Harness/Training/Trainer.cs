using System.Diagnostics;
using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The training loop of one run. It yields one <see cref="EpochMetrics"/> per epoch and knows nothing of files,
/// MLflow or consoles. Every random draw comes from generators derived from the run's seed (see
/// <see cref="RunSeeds"/>), so the same run on the same device with the same thread count gives the same numbers.
/// </summary>
/// <param name="spec">The resolved run.</param>
/// <param name="model">The network (returns logits).</param>
/// <param name="optimizer">Its optimizer.</param>
/// <param name="train">Training images on the device.</param>
/// <param name="tests">Named test sets on the device; the first is the primary one.</param>
/// <param name="evaluationBatchSize">Batch size for the clean measurements (larger than training's: no gradients are kept).</param>
/// <param name="augmentedTrain">When the spec augments: the training images of an epoch (seeded by run seed and epoch); null = none.</param>
/// <param name="channelsLast">Batches channels-last (see <see cref="BatchLayout"/>); null = the device's default.</param>
/// <param name="trainMeasured">
/// The training images to measure on, when they are fewer than <paramref name="train"/>: its distinct images, weighted by
/// their counts (<see cref="DeviceImages.DistinctAcross"/>); null = <paramref name="train"/> itself.
/// </param>
public sealed class Trainer(
    RunSpec spec,
    nn.Module<Tensor, Tensor> model,
    optim.Optimizer optimizer,
    DeviceImages train,
    IReadOnlyList<(string Name, DeviceImages Images)> tests,
    int evaluationBatchSize = 200,
    Func<int, Harness.Data.LabeledImages>? augmentedTrain = null,
    bool? channelsLast = null,
    DeviceImages? trainMeasured = null)
{
    private readonly bool layoutChannelsLast = channelsLast ?? BatchLayout.DefaultChannelsLast(train.Images.device);
    private readonly EpochLoop loop = EpochLoop.ForNetwork(spec, model, optimizer);

    /// <summary>Batches in one training epoch (the last one may be smaller).</summary>
    public int BatchesPerEpoch => loop.BatchesPerEpoch(train.Count);

    /// <summary>
    /// Trains epochs <paramref name="epochsDone"/> + 1 .. <c>spec.Epochs</c>, yielding each epoch's metrics as it ends.
    /// Cancellation is honoured between batches (the epoch in flight is abandoned; resume from the last checkpoint).
    /// </summary>
    public IEnumerable<EpochMetrics> Train(int epochsDone = 0, Action<BatchProgress>? onBatch = null, CancellationToken stop = default)
    {
        for (int epoch = epochsDone + 1; epoch <= spec.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            RunningEpoch running;
            if (augmentedTrain is null) running = TrainOneEpoch(train, epoch, onBatch, stop);
            else
            {
                using var augmented = new DeviceImages(augmentedTrain(epoch), train.Images.device);
                running = TrainOneEpoch(augmented, epoch, onBatch, stop);
            }
            if (!double.IsFinite(running.Loss[0])) throw new NonFiniteLossException(epoch, running.Loss[0]);

            // Clean measurements on the unaugmented images: fixed weights, evaluation mode (dropout off, batch-norm running statistics).
            var cleanTrain = Evaluation.Measure("train", model, trainMeasured ?? train, spec.Init, evaluationBatchSize, layoutChannelsLast);
            var measured = tests.Select(t => Evaluation.Measure(t.Name, model, t.Images, spec.Init, evaluationBatchSize, layoutChannelsLast)).ToArray();
            var probe = Probe();
            yield return new EpochMetrics(epoch, running.Loss[0], running.Accuracy[0], cleanTrain.Loss, cleanTrain.Accuracy,
                measured, running.LearningRate, clock.Elapsed.TotalSeconds, probe);
        }
    }

    /// <summary>The network's health on the probe batch (a fixed set of clean training images).</summary>
    private ProbeMetrics Probe()
    {
        if (model is not Harness.Models.SequentialNetwork network)
            throw new InvalidOperationException($"the activation probe needs a {nameof(Harness.Models.SequentialNetwork)}, not a {model.GetType().Name}");
        return ActivationProbe.Measure(network, train, layoutChannelsLast);
    }

    /// <summary>One epoch on <paramref name="images"/> (the training set, or this epoch's augmented copy).</summary>
    private RunningEpoch TrainOneEpoch(DeviceImages images, int epoch, Action<BatchProgress>? onBatch, CancellationToken stop) =>
        loop.Train(epoch, images.Count, images.Images.device, indices =>
        {
            var x = BatchLayout.Prepare(images.Images.index_select(0, indices[0]), layoutChannelsLast);
            return (model.forward(x), images.Labels.index_select(0, indices[0]));
        }, onBatch, stop);
}
