using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>The "kernel" weights Keras's L2 regularizer penalizes: conv and dense weights, not biases or batch norm.</summary>
public static class KernelWeights
{
    /// <summary>Every Conv2d and Linear weight of <paramref name="model"/>.</summary>
    public static IReadOnlyList<Parameter> Of(nn.Module model) =>
        model.modules()
            .Where(m => m is Conv2d or Linear)
            .Select(m => m.named_parameters(recurse: false).First(p => p.name == "weight").parameter)
            .ToArray();

    /// <summary>l2 * sum of squared kernel weights (the term Keras adds to the loss).</summary>
    public static Tensor Penalty(IReadOnlyList<Parameter> weights, double l2)
    {
        Tensor total = weights[0].square().sum();
        for (int i = 1; i < weights.Count; i++) total = total + weights[i].square().sum();
        return total * l2;
    }
}
