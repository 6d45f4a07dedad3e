using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// K members' copies of one dense layer as one batched matrix product: input [K, B, in], weight [K, out, in]
/// (member k's weight exactly as its Linear stores it), bias [K, out], output [K, B, out].
/// </summary>
internal sealed class FusedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly bool relu;

    public FusedLinear(string name, Linear template, int members, bool relu, Device device) : base(name)
    {
        var shape = template.weight!.shape;
        weight = new Parameter(torch.zeros([members, shape[0], shape[1]], device: device));
        bias = new Parameter(torch.zeros([members, shape[0]], device: device));
        this.relu = relu;
        RegisterComponents();
    }

    /// <summary>The kernel (dense weight) the L2 penalty applies to.</summary>
    public Parameter Kernel => weight;

    public override Tensor forward(Tensor input)
    {
        var output = torch.bmm(input, weight.transpose(1, 2)).add_(bias.unsqueeze(1));
        return relu ? output.relu_() : output; // in place: the layer's output is fresh, and neither conv nor matmul backward needs it
    }
}
