using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// The switch from member-major activations [K*B, C, H, W] (the large early layers on the CPU) to channel-stacked
/// ones [B, K*C, H, W] (member k's channels at k*C..(k+1)*C-1), channels-last when <paramref name="channelsLast"/>.
/// One copy; its backward is the inverse permutation.
/// </summary>
internal sealed class FusedRegroup(string name, int members, bool channelsLast) : nn.Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0] / members, c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var perMember = input.reshape(members, batch, c, h, w);
        return channelsLast
            ? perMember.permute(1, 3, 4, 0, 2).contiguous().view(batch, h, w, members * c).permute(0, 3, 1, 2)
            : perMember.transpose(0, 1).contiguous().view(batch, members * c, h, w);
    }
}
