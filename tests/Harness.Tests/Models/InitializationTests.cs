using Harness.Models;
using Harness.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Tests.Models;

public sealed class InitializationTests
{
    private static float[] Weights(int seed, InitScheme init = InitScheme.Keras)
    {
        using var g = new Generator((ulong)seed);
        using var model = ModelRegistry.Create("cifar-small", new ModelShape(3, 32, 32, 10), init, g);
        return model.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void Same_seed_gives_identical_weights_whatever_the_global_generator_did()
    {
        var first = Weights(7);
        torch.manual_seed(12345);
        using (torch.rand(100)) { }
        Assert.Equal(first, Weights(7));
        Assert.NotEqual(first, Weights(8));
    }

    [Fact]
    public void Keras_scheme_uses_glorot_uniform_weights_zero_biases_and_keras_batch_norm()
    {
        using var g = new Generator(3);
        using var model = ModelRegistry.Create("alexnet-fmnist", new ModelShape(1, 28, 28, 10), InitScheme.Keras, g);
        foreach (var m in model.modules())
        {
            if (m is Conv2d conv)
            {
                long fanIn = conv.weight!.shape[1] * 9, fanOut = conv.weight.shape[0] * 9;
                if (conv.weight.shape[2] == 3)
                    Assert.True(conv.weight.abs().max().item<float>() <= Math.Sqrt(6.0 / (fanIn + fanOut)) + 1e-6);
                Assert.Equal(0f, conv.bias!.abs().max().item<float>());
            }
            if (m is Linear linear)
            {
                double limit = Math.Sqrt(6.0 / (linear.weight!.shape[0] + linear.weight.shape[1]));
                Assert.True(linear.weight.abs().max().item<float>() <= limit + 1e-6);
                Assert.True(linear.weight.abs().max().item<float>() > limit * 0.9); // really uses the range
                Assert.Equal(0f, linear.bias!.abs().max().item<float>());
            }
            if (m is BatchNorm2d norm)
            {
                Assert.Equal(1e-3, norm.eps, 9);
                Assert.Equal(0.01, norm.momentum!.Value, 9);
            }
        }
    }

    [Fact]
    public void Torch_scheme_gives_nonzero_biases_within_one_over_sqrt_fan_in()
    {
        using var g = new Generator(3);
        using var model = ModelRegistry.Create("cifar-small", new ModelShape(3, 32, 32, 10), InitScheme.Torch, g);
        var first = model.modules().OfType<Conv2d>().First();
        Assert.True(first.bias!.abs().max().item<float>() > 0);
        Assert.True(first.bias.abs().max().item<float>() <= 1 / Math.Sqrt(27) + 1e-6);
    }
}
