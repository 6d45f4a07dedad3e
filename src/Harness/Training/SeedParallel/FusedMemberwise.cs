using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// The large early layers of a fused network on the CPU, run member by member: the input is member-major
/// [K*B, C, H, W] (member k's batch at rows k*B..(k+1)*B-1), each member's slice goes through the layers with its
/// own weights exactly as in its standalone run (channels-last with channelsLast, as <see cref="BatchLayout"/> lays
/// out a standalone run's batches) (libtorch's grouped convolutions are several times slower there),
/// and the K small outputs are stacked by channel, [B, K*C', H', W'] (channels-last when
/// channelsLast), for the grouped layers that follow. No activation is ever copied whole: the
/// input slices are views and only the final, small outputs are stacked.
/// </summary>
internal sealed class FusedMemberwise : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, Tensor>> layers;
    private readonly int members;
    private readonly bool channelsLast;

    public FusedMemberwise(string name, IEnumerable<nn.Module<Tensor, Tensor>> layers, int members, bool channelsLast) : base(name)
    {
        this.layers = nn.ModuleList(layers.ToArray());
        this.members = members;
        this.channelsLast = channelsLast;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var batches = input.split(input.shape[0] / members);
        var outputs = new Tensor[members];
        for (int m = 0; m < members; m++)
        {
            // Each member's intermediate tensors are released as soon as its output exists (autograd keeps what the
            // backward pass needs by itself), so the large activations never pile up across members.
            using var scope = torch.NewDisposeScope();
            var h = BatchLayout.Prepare(batches[m], channelsLast);
            foreach (var layer in layers) h = layer is FusedConv2d conv ? conv.ForwardMember(h, m) : layer.forward(h);
            outputs[m] = h.MoveToOuterDisposeScope();
        }
        return FusedEnsemble.StackChannels(outputs, channelsLast);
    }
}
