using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Softmax cross-entropy, in the form of the chosen framework: Keras computes it on probabilities clipped to
/// [1e-7, 1 - 1e-7] (so a confidently wrong prediction costs at most -log 1e-7 ≈ 16.1); PyTorch on logits.
/// Returns per-example losses.
/// </summary>
public static class ClassificationLoss
{
    private const double KerasEpsilon = 1e-7;

    /// <summary>
    /// Per-example loss of <paramref name="logits"/> against class indices <paramref name="labels"/>, shaped like the
    /// labels: one model's [N, classes] against [N], or a fused group's [K, N, classes] against [K, N] (member by member).
    /// </summary>
    public static Tensor PerExample(Tensor logits, Tensor labels, InitScheme scheme) => labels.dim() == 1
        ? OfRows(logits, labels, scheme)
        : OfRows(logits.reshape(labels.numel(), -1), labels.reshape(-1), scheme).view(labels.shape);

    /// <summary>
    /// The loss each model minimizes on a batch, the mean of <see cref="PerExample"/> over its examples: a scalar for one
    /// model, [K] for a fused group. One model's is the mean of all its losses at once (not a mean over a dimension),
    /// the reduction whose rounding the parity with PyTorch pins.
    /// </summary>
    public static Tensor Mean(Tensor logits, Tensor labels, InitScheme scheme)
    {
        var perExample = PerExample(logits, labels, scheme);
        return labels.dim() == 1 ? perExample.mean() : perExample.mean([1L]);
    }

    private static Tensor OfRows(Tensor logits, Tensor labels, InitScheme scheme)
    {
        if (scheme == InitScheme.Torch)
            return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        var probabilities = nn.functional.softmax(logits, 1).clamp(KerasEpsilon, 1 - KerasEpsilon);
        return -probabilities.gather(1, labels.unsqueeze(1)).squeeze(1).log();
    }
}
