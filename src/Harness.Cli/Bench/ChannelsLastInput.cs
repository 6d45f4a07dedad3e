using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli.Bench;

/// <summary>
/// Wraps a network so that every input batch is laid out channels-last (N x C x H x W shape, N x H x W x C
/// strides) before the first layer. TorchSharp 0.107 has no <c>contiguous(memory_format)</c>, but libtorch picks
/// the memory format from the strides, so permute - contiguous - permute back gives the same layout; the
/// convolutions then keep it for their outputs. A benchmark experiment only: the trainer is not changed.
/// </summary>
internal sealed class ChannelsLastInput : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> inner;

    public ChannelsLastInput(nn.Module<Tensor, Tensor> inner) : base("channels_last")
    {
        this.inner = inner;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        inner.forward(input.dim() == 4 ? input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : input);
}
