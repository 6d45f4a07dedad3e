using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// K members' copies of one convolution: one grouped convolution (groups = K) on channel-stacked input, where
/// member k reads input channels k*Cin..(k+1)*Cin-1 and writes output channels k*Cout..(k+1)*Cout-1, or one
/// member's convolution on its own batch (<see cref="ForwardMember"/>). The members never see each other.
/// Weight [K*Cout, Cin, kh, kw] and bias [K*Cout] keep member k's values contiguous at slice k.
/// </summary>
internal sealed class FusedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long[] stride, padding;
    private readonly long members, cin, cout;
    private readonly bool relu;

    public FusedConv2d(string name, Conv2d template, int members, bool relu, Device device) : base(name)
    {
        if (template.padding_type is not null) throw new NotSupportedException($"{name}: only explicit convolution padding can be fused");
        var shape = template.weight.shape;
        weight = new Parameter(torch.zeros([members * shape[0], shape[1], shape[2], shape[3]], device: device));
        bias = new Parameter(torch.zeros(members * shape[0], device: device));
        stride = template.stride;
        cout = shape[0];
        cin = shape[1];
        padding = template.padding ?? new long[shape.Length - 2];
        this.members = members;
        this.relu = relu;
        RegisterComponents();
    }

    /// <summary>The kernel (conv weight) the L2 penalty applies to.</summary>
    public Parameter Kernel => weight;

    /// <summary>Channel-stacked input [B, K*Cin, H, W]: one grouped convolution serves all members.</summary>
    public override Tensor forward(Tensor input) =>
        Activate(nn.functional.conv2d(input, weight, bias, strides: stride, padding: padding, groups: members));

    /// <summary>
    /// Member <paramref name="member"/>'s convolution alone on its own batch [B, Cin, H, W], exactly as its standalone
    /// run computes it (see <see cref="FusedMemberwise"/>).
    /// </summary>
    public Tensor ForwardMember(Tensor input, int member) =>
        Activate(nn.functional.conv2d(input, weight.narrow(0, member * cout, cout), bias.narrow(0, member * cout, cout),
            strides: stride, padding: padding));

    // In place: the output is fresh, and the convolution's backward does not need it.
    private Tensor Activate(Tensor output) => relu ? output.relu_() : output;
}
