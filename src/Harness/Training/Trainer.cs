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
public sealed class Trainer(
    RunSpec spec,
    nn.Module<Tensor, Tensor> model,
    optim.Optimizer optimizer,
    DeviceImages train,
    IReadOnlyList<(string Name, DeviceImages Images)> tests,
    int evaluationBatchSize = 200,
    Func<int, Harness.Data.LabeledImages>? augmentedTrain = null,
    bool? channelsLast = null)
{
    private readonly bool layoutChannelsLast = channelsLast ?? BatchLayout.DefaultChannelsLast(train.Images.device);
    private readonly IReadOnlyList<TorchSharp.Modules.Parameter> kernelWeights = KernelWeights.Of(model);
    private readonly TorchSharp.Modules.Parameter[] parameters = model.parameters().ToArray();

    /// <summary>Batches in one training epoch (the last one may be smaller).</summary>
    public int BatchesPerEpoch => BatchProgress.BatchesPerEpoch(train.Count, spec.BatchSize);

    /// <summary>
    /// Trains epochs <paramref name="epochsDone"/> + 1 .. <c>spec.Epochs</c>, yielding each epoch's metrics as it ends.
    /// Cancellation is honoured between batches (the epoch in flight is abandoned; resume from the last checkpoint).
    /// </summary>
    public IEnumerable<EpochMetrics> Train(int epochsDone = 0, Action<BatchProgress>? onBatch = null, CancellationToken stop = default)
    {
        for (int epoch = epochsDone + 1; epoch <= spec.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            double runningLoss, runningAccuracy, learningRate;
            if (augmentedTrain is null) (runningLoss, runningAccuracy, learningRate) = TrainOneEpoch(train, epoch, onBatch, stop);
            else
            {
                using var augmented = new DeviceImages(augmentedTrain(epoch), train.Images.device);
                (runningLoss, runningAccuracy, learningRate) = TrainOneEpoch(augmented, epoch, onBatch, stop);
            }
            if (!double.IsFinite(runningLoss)) throw new NonFiniteLossException(epoch, runningLoss);

            // Clean measurements on the unaugmented images: fixed weights, evaluation mode (dropout off, batch-norm running statistics).
            var cleanTrain = Evaluation.Measure("train", model, train, spec.Init, evaluationBatchSize, layoutChannelsLast);
            var measured = tests.Select(t => Evaluation.Measure(t.Name, model, t.Images, spec.Init, evaluationBatchSize, layoutChannelsLast)).ToArray();
            var probe = Probe();
            yield return new EpochMetrics(epoch, runningLoss, runningAccuracy, cleanTrain.Loss, cleanTrain.Accuracy,
                measured, learningRate, clock.Elapsed.TotalSeconds, probe);
        }
    }

    /// <summary>The network's health on the probe batch (a fixed set of clean training images).</summary>
    private ProbeMetrics Probe()
    {
        if (model is not Harness.Models.SequentialNetwork network)
            throw new InvalidOperationException($"the activation probe needs a {nameof(Harness.Models.SequentialNetwork)}, not a {model.GetType().Name}");
        using var scope = torch.NewDisposeScope();
        return ActivationProbe.Measure(network, BatchLayout.Prepare(ActivationProbe.Batch(train), layoutChannelsLast));
    }

    private (double Loss, double Accuracy, double LearningRate) TrainOneEpoch(DeviceImages train, int epoch, Action<BatchProgress>? onBatch, CancellationToken stop)
    {
        model.train();
        torch.manual_seed(RunSeeds.Noise(spec.Seed, epoch));
        var device = train.Images.device;
        using var order = new Generator((ulong)RunSeeds.DataOrder(spec.Seed, epoch));
        using var permutation = torch.randperm(train.Count, generator: order).to(device);
        using var lossSum = torch.zeros(1, ScalarType.Float64, device);
        using var correctSum = torch.zeros(1, ScalarType.Float64, device);
        int batches = BatchesPerEpoch;
        long updates = (long)(epoch - 1) * batches;
        double learningRate = spec.Optimizer.LearningRate;
        for (int b = 0; b < batches; b++)
        {
            stop.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            int start = b * spec.BatchSize, length = Math.Min(spec.BatchSize, train.Count - start);
            var index = permutation.narrow(0, start, length);
            var x = BatchLayout.Prepare(train.Images.index_select(0, index), layoutChannelsLast);
            var y = train.Labels.index_select(0, index);

            Gradients.Clear(parameters);
            var logits = model.forward(x);
            var loss = ClassificationLoss.PerExample(logits, y, spec.Init).mean();
            // Keras's L2 term: its value in the loss; its gradient is added by the optimizer step (see KernelWeights).
            if (spec.Optimizer.L2 > 0) loss = loss + KernelWeights.Penalty(kernelWeights, spec.Optimizer.L2);
            loss.backward();
            learningRate = OptimizerFactory.Step(optimizer, spec.Optimizer, spec.Init, updates++, kernelWeights);

            // Accumulate on the device; read once per epoch.
            lossSum.add_(loss.detach().to(ScalarType.Float64) * length);
            correctSum.add_(logits.detach().argmax(1).eq(y).sum().to(ScalarType.Float64));
            onBatch?.Invoke(new BatchProgress(epoch, b + 1, batches));
        }
        Gradients.Clear(parameters); // not needed until the next batch: their memory serves the evaluation instead
        return (lossSum.item<double>() / train.Count, correctSum.item<double>() / train.Count, learningRate);
    }
}
