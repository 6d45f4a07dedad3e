using Harness.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// Re-initializes every conv, dense and batch-norm layer from an explicit generator, so a network depends only
/// on its seed (TorchSharp modules initialize themselves from the global RNG at construction).
/// Keras: Glorot-uniform weights (limit sqrt(6 / (fan_in + fan_out))), zero biases, batch-norm epsilon 1e-3 and
/// momentum 0.01 (PyTorch's update weight; Keras's moving-average weight 0.99). Torch: Kaiming-uniform with
/// a = sqrt(5) (limit 1 / sqrt(fan_in)), biases uniform within 1 / sqrt(fan_in), epsilon 1e-5, momentum 0.1.
/// </summary>
public static class WeightInitializer
{
    /// <summary>Initializes <paramref name="model"/>'s parameters in module order from <paramref name="generator"/>.</summary>
    public static void Apply(nn.Module model, InitScheme init, Generator generator)
    {
        using var _ = torch.no_grad();
        foreach (var module in model.modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    Fill(conv.weight!, conv.bias, init, generator);
                    break;
                case Linear linear:
                    Fill(linear.weight!, linear.bias, init, generator);
                    break;
                case BatchNorm2d norm:
                    norm.weight!.fill_(1);
                    norm.bias!.fill_(0);
                    norm.eps = init == InitScheme.Keras ? 1e-3 : 1e-5;
                    norm.momentum = init == InitScheme.Keras ? 0.01 : 0.1;
                    break;
            }
        }
    }

    private static void Fill(Parameter weight, Parameter? bias, InitScheme init, Generator generator)
    {
        long receptive = weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        long fanIn = weight.shape[1] * receptive, fanOut = weight.shape[0] * receptive;
        double limit = init == InitScheme.Keras ? Math.Sqrt(6.0 / (fanIn + fanOut)) : 1.0 / Math.Sqrt(fanIn);
        Uniform(weight, limit, generator);
        if (bias is null) return;
        if (init == InitScheme.Keras) bias.zero_();
        else Uniform(bias, 1.0 / Math.Sqrt(fanIn), generator);
    }

    private static void Uniform(Parameter target, double limit, Generator generator)
    {
        using var draw = torch.rand(target.shape, dtype: target.dtype, generator: generator);
        target.copy_(draw.mul_(2 * limit).sub_(limit));
    }
}
