using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// Flattens [B, K*C, H, W] to [K, B, C*H*W]: member k's channels become its own feature vectors, in the same
/// C-major order its standalone Flatten would produce.
/// </summary>
internal sealed class FusedFlatten(string name, int members) : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input) => input.reshape(input.shape[0], members, -1).transpose(0, 1);
}
