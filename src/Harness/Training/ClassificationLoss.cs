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

    /// <summary>Per-example loss of <paramref name="logits"/> [N, K] against class indices <paramref name="labels"/> [N].</summary>
    public static Tensor PerExample(Tensor logits, Tensor labels, InitScheme scheme)
    {
        if (scheme == InitScheme.Torch)
            return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        var probabilities = nn.functional.softmax(logits, 1).clamp(KerasEpsilon, 1 - KerasEpsilon);
        return -probabilities.gather(1, labels.unsqueeze(1)).squeeze(1).log();
    }
}
