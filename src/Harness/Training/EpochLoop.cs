using Harness.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The batch loop of one training epoch, one code for a run's network (<see cref="Trainer"/>, one member) and for K
/// seeds fused into one model (<see cref="SeedParallel.SeedParallelTrainer"/>): each member's data order of the epoch,
/// libtorch's noise seed, the gradients dropped before each forward pass, the loss with Keras's L2 term as a value
/// and its gradient added by the optimizer step, and the running loss and accuracy summed on the device and read
/// once. Only gathering a batch and running the network differ between the two; the caller passes that in.
/// </summary>
/// <param name="spec">The run; for a fused group its first member's (the members differ only by seed).</param>
/// <param name="seeds">Each member's seed, which orders its training images in every epoch (<see cref="RunSeeds.DataOrder"/>).</param>
/// <param name="model">The network or the fused model.</param>
/// <param name="optimizer">Its optimizer.</param>
/// <param name="parameters">Every parameter the optimizer updates.</param>
/// <param name="kernels">The weights Keras's L2 term penalizes, whose gradient the optimizer step adds.</param>
/// <param name="penalty">The L2 term's value for a coefficient: a scalar for one network, [K] for a fused group.</param>
internal sealed class EpochLoop(
    RunSpec spec,
    IReadOnlyList<int> seeds,
    nn.Module model,
    optim.Optimizer optimizer,
    IReadOnlyList<Parameter> parameters,
    IReadOnlyList<Parameter> kernels,
    Func<double, Tensor> penalty)
{
    /// <summary>The loop of one run's standalone network.</summary>
    public static EpochLoop ForNetwork(RunSpec spec, nn.Module network, optim.Optimizer optimizer)
    {
        var kernels = KernelWeights.Of(network);
        return new EpochLoop(spec, [spec.Seed], network, optimizer, network.parameters().ToArray(), kernels, l2 => KernelWeights.Penalty(kernels, l2));
    }

    /// <summary>Batches in an epoch of <paramref name="images"/> images per member.</summary>
    public int BatchesPerEpoch(int images) => BatchProgress.BatchesPerEpoch(images, spec.BatchSize);

    /// <summary>
    /// Trains epoch <paramref name="epoch"/> on <paramref name="images"/> images per member living on
    /// <paramref name="device"/>. <paramref name="forward"/> gathers a batch from each member's indices into its
    /// images and returns the model's logits and the labels: [B, classes] and [B] for one network, [K, B, classes]
    /// and [K, B] for a fused group. Cancellation is honoured between batches.
    /// </summary>
    public RunningEpoch Train(int epoch, int images, Device device, Func<Tensor[], (Tensor Logits, Tensor Labels)> forward,
        Action<BatchProgress>? onBatch, CancellationToken stop)
    {
        model.train();
        torch.manual_seed(RunSeeds.Noise(spec.Seed, epoch)); // dropout; a fused group draws from its first member's stream
        var permutations = DataOrder(epoch, images, device);
        try
        {
            using var lossSum = torch.zeros(seeds.Count, ScalarType.Float64, device);
            using var correctSum = torch.zeros(seeds.Count, ScalarType.Float64, device);
            int batches = BatchesPerEpoch(images);
            long updates = (long)(epoch - 1) * batches;
            double learningRate = spec.Optimizer.LearningRate;
            for (int b = 0; b < batches; b++)
            {
                stop.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                int start = b * spec.BatchSize, length = Math.Min(spec.BatchSize, images - start);
                Gradients.Clear(parameters);
                var (logits, labels) = forward(permutations.Select(p => p.narrow(0, start, length)).ToArray());
                var loss = ClassificationLoss.Mean(logits, labels, spec.Init);
                // Keras's L2 term: its value in the loss; its gradient is added by the optimizer step (see KernelWeights).
                if (spec.Optimizer.L2 > 0) loss = loss + penalty(spec.Optimizer.L2);
                // A fused group minimizes the sum of its members' losses, which passes each member only its own gradient.
                (loss.dim() == 0 ? loss : loss.sum()).backward();
                learningRate = OptimizerFactory.Step(optimizer, spec.Optimizer, spec.Init, updates++, kernels);

                // Accumulate on the device; read once per epoch.
                lossSum.add_(loss.detach().to(ScalarType.Float64) * length);
                correctSum.add_(logits.detach().argmax(-1).eq(labels).sum(-1).to(ScalarType.Float64));
                onBatch?.Invoke(new BatchProgress(epoch, b + 1, batches));
            }
            Gradients.Clear(parameters); // not needed until the next batch: their memory serves the evaluation instead
            return new RunningEpoch(
                lossSum.data<double>().Select(v => v / images).ToArray(),
                correctSum.data<double>().Select(v => v / images).ToArray(),
                learningRate);
        }
        finally
        {
            foreach (var p in permutations) p.Dispose();
        }
    }

    /// <summary>Each member's order of its training images in <paramref name="epoch"/>, on the device.</summary>
    private Tensor[] DataOrder(int epoch, int images, Device device)
    {
        var permutations = new Tensor[seeds.Count];
        for (int m = 0; m < seeds.Count; m++)
        {
            using var order = new Generator((ulong)RunSeeds.DataOrder(seeds[m], epoch));
            using var drawn = torch.randperm(images, generator: order);
            permutations[m] = drawn.to(device).DetachFromDisposeScope();
        }
        return permutations;
    }
}
