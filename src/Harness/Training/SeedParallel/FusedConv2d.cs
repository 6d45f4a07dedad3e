using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// K members' copies of one convolution: channel-stacked, one grouped convolution (groups = K) where member k
/// reads input channels k*Cin..(k+1)*Cin-1 and writes output channels k*Cout..(k+1)*Cout-1; member-major
/// (<see cref="MemberMajor"/>), one convolution per member on its batch slice. The members never see each other.
/// Weight [K*Cout, Cin, kh, kw] and bias [K*Cout] keep member k's values contiguous at slice k.
/// </summary>
internal sealed class FusedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long[] stride, padding;
    private readonly long members, cin, cout;
    private readonly bool relu;

    public FusedConv2d(string name, Conv2d template, int members, bool relu, bool memberMajor, Device device) : base(name)
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
        MemberMajor = memberMajor;
        RegisterComponents();
    }

    /// <summary>The kernel (conv weight) the L2 penalty applies to.</summary>
    public Parameter Kernel => weight;

    /// <summary>
    /// True: the input is member-major [K*B, Cin, H, W] and each member's convolution runs on its own batch slice,
    /// exactly as a standalone run's (large images on the CPU, where grouped convolutions are slow); false: the
    /// input is channel-stacked [B, K*Cin, H, W] and one grouped convolution serves all members.
    /// </summary>
    public bool MemberMajor { get; }

    public override Tensor forward(Tensor input)
    {
        Tensor output;
        if (MemberMajor)
        {
            // split (not narrow): its backward concatenates the K gradients once instead of K input-sized zero tensors.
            var inputs = input.split(input.shape[0] / members);
            var weights = weight.split(cout);
            var biases = bias.split(cout);
            output = torch.cat(Enumerable.Range(0, (int)members).Select(m => nn.functional.conv2d(
                inputs[m], weights[m], biases[m], strides: stride, padding: padding)).ToArray(), 0);
        }
        else output = nn.functional.conv2d(input, weight, bias, strides: stride, padding: padding, groups: members);
        return relu ? output.relu_() : output; // in place: the layer's output is fresh, and neither conv nor matmul backward needs it
    }
}
