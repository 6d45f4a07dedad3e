using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The "kernel" weights Keras's L2 regularizer penalizes: conv and dense weights, not biases or batch norm.
/// The trainers add the penalty's value to the loss (<see cref="Penalty"/>) and its gradient to the kernels'
/// gradients after the backward pass (<see cref="AddPenaltyGradient"/>), instead of differentiating l2 * sum(w^2)
/// through autograd: the same numbers, bit for bit, with two passes over the weights instead of about six.
/// </summary>
public static class KernelWeights
{
    /// <summary>Every Conv2d and Linear weight of <paramref name="model"/>.</summary>
    public static IReadOnlyList<Parameter> Of(nn.Module model) =>
        model.modules()
            .Where(m => m is Conv2d or Linear)
            .Select(m => m.named_parameters(recurse: false).First(p => p.name == "weight").parameter)
            .ToArray();

    /// <summary>l2 * sum of squared kernel weights (the term Keras adds to the loss), as a value: no gradient flows through it.</summary>
    public static Tensor Penalty(IReadOnlyList<Parameter> weights, double l2)
    {
        using var _ = torch.no_grad();
        using var scope = torch.NewDisposeScope(); // the squares (as large as the weights) go now, not at the end of the batch
        Tensor total = weights[0].square().sum();
        for (int i = 1; i < weights.Count; i++) total = total + weights[i].square().sum();
        return (total * l2).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Adds the gradient of <see cref="Penalty"/>, 2 * l2 * w, to each kernel's gradient; call it after the backward
    /// pass of a loss that holds the penalty as a value. Autograd's gradient of l2 * sum(w^2) is l2 * (2 w) rounded
    /// once (the seed 1 times l2, expanded, times 2 w; doubling is exact) and added once to the network's gradient,
    /// which is what this does (w * 2 l2, then one add) in any float type.
    /// </summary>
    public static void AddPenaltyGradient(IReadOnlyList<Parameter> weights, double l2)
    {
        using var _ = torch.no_grad();
        foreach (var weight in weights)
        {
            using var gradient = weight.grad ?? throw new InvalidOperationException("AddPenaltyGradient needs the backward pass first: a kernel has no gradient");
            using var penalty = weight.mul(2 * l2);
            gradient.add_(penalty);
        }
    }
}
