using Harness.Models;
using Harness.Native;
using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

[Collection(nameof(GlobalGeneratorCollection))] // dropout draws from the global generator
public sealed class OptimizerStepTests
{
    private static readonly OptimizerSpec KerasSgd = new("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005);

    /// <summary>
    /// Trains <paramref name="steps"/> batches of random images, channels-last, with the trainer's step
    /// (<paramref name="current"/>) or with the step it replaced: the rate and momentum rescale set before the forward
    /// pass, zero-filled gradients, the L2 term differentiated by autograd, then <c>optimizer.step()</c>.
    /// Returns the final parameters and batch-norm statistics, and every step's loss.
    /// </summary>
    private static (Tensor[] State, float[] Losses) Train(string architecture, ModelShape shape, OptimizerSpec spec, InitScheme init, bool current, int steps = 5)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(1);
        using var generator = new Generator(7);
        using var model = ModelRegistry.Create(architecture, shape, init, generator);
        using var optimizer = OptimizerFactory.Create(spec, model.parameters());
        var kernels = KernelWeights.Of(model);
        using var data = new Generator(11);
        using var images = torch.rand([steps * 6L, shape.Channels, shape.Height, shape.Width], generator: data);
        using var labels = torch.randint(shape.Classes, [steps * 6L], generator: data);
        torch.manual_seed(3); // dropout
        model.train();
        var losses = new float[steps];
        for (int t = 0; t < steps; t++)
        {
            using var scope = torch.NewDisposeScope();
            var x = BatchLayout.Prepare(images.narrow(0, t * 6, 6), channelsLast: true);
            var y = labels.narrow(0, t * 6, 6);
            if (current)
            {
                Gradients.Clear(model.parameters());
                var loss = ClassificationLoss.PerExample(model.forward(x), y, init).mean() + KernelWeights.Penalty(kernels, spec.L2);
                loss.backward();
                OptimizerFactory.Step(optimizer, spec, init, t, kernels);
                losses[t] = loss.item<float>();
            }
            else
            {
                OptimizerFactory.PrepareStep(optimizer, spec, init, t);
                optimizer.zero_grad();
                var loss = ClassificationLoss.PerExample(model.forward(x), y, init).mean();
                Tensor total = kernels[0].square().sum();
                for (int i = 1; i < kernels.Count; i++) total = total + kernels[i].square().sum();
                loss = loss + total * spec.L2;
                loss.backward();
                optimizer.step();
                losses[t] = loss.item<float>();
            }
        }
        return (model.state_dict().Values.Select(v => v.detach().clone().DetachFromDisposeScope()).ToArray(), losses);
    }

    [Theory]
    [InlineData("cifar-small", 3, 32, "sgd", "keras")]
    [InlineData("cifar-small", 3, 32, "sgd", "torch")]
    [InlineData("cifar-small", 3, 32, "adam", "keras")]
    [InlineData("alexnet-fmnist", 1, 28, "sgd", "keras")] // batch norm and dropout too
    public void The_trainers_step_trains_the_very_weights_of_the_step_it_replaced(string architecture, int channels, int size, string optimizer, string init)
    {
        // Given a network, its optimizer with an L2 term, and random batches
        var shape = new ModelShape(channels, size, size, 10);
        var spec = optimizer == "sgd" ? KerasSgd : new OptimizerSpec("adam", 1e-3, Epsilon: 1e-7, L2: 0.0005);
        var scheme = init == "keras" ? InitScheme.Keras : InitScheme.Torch;

        // When it trains with the trainer's step, and with the former one (rate set before the forward pass, gradients
        // zero-filled, the L2 term differentiated by autograd)
        var (now, nowLosses) = Train(architecture, shape, spec, scheme, current: true);
        var (before, beforeLosses) = Train(architecture, shape, spec, scheme, current: false);

        // Then every loss and every weight and statistic is the same, bit for bit
        Assert.Equal(beforeLosses, nowLosses);
        Assert.Equal(before.Length, now.Length);
        for (int i = 0; i < now.Length; i++) Assert.True(SameBits(now[i], before[i]), $"state tensor {i} differs");
        Assert.NotEqual(beforeLosses[0], beforeLosses[^1]);
        foreach (var t in now.Concat(before)) t.Dispose();
    }

    private static bool SameBits(Tensor a, Tensor b)
    {
        using var x = a.contiguous();
        using var y = b.contiguous();
        return a.shape.SequenceEqual(b.shape) && a.dtype == b.dtype && x.bytes.SequenceEqual(y.bytes);
    }

    [Fact]
    public void The_penalty_gradient_is_autograds_to_the_bit_in_float64_too()
    {
        // Given kernels in float64 whose gradients already hold a network's contribution
        TorchRuntime.EnsureLoaded();
        using var data = new Generator(5);
        var weights = Enumerable.Range(0, 3).Select(i => new TorchSharp.Modules.Parameter(torch.randn([4 + i, 3], ScalarType.Float64, generator: data))).ToArray();
        var network = weights.Select(w => torch.randn(w.shape, ScalarType.Float64, generator: data)).ToArray();
        const double l2 = 0.0005;

        // When the penalty's gradient is added by hand, and when autograd differentiates l2 * sum(w^2)
        foreach (var (w, g) in weights.Zip(network)) w.grad = g.clone();
        KernelWeights.AddPenaltyGradient(weights, l2);
        var byHand = weights.Select(w => w.grad!.clone()).ToArray();
        foreach (var (w, g) in weights.Zip(network)) w.grad = g.clone();
        Tensor total = weights[0].square().sum();
        for (int i = 1; i < weights.Length; i++) total = total + weights[i].square().sum();
        (total * l2).backward();

        // Then both gradients are the same, bit for bit, and so are the penalty's values
        for (int i = 0; i < weights.Length; i++) Assert.True(SameBits(byHand[i], weights[i].grad!), $"kernel {i}");
        using var value = KernelWeights.Penalty(weights, l2);
        Assert.Equal((total * l2).item<double>(), value.item<double>());
        Assert.False(value.requires_grad);
    }
}
