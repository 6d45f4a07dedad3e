using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The memory layout batches enter a network in. On the CPU, channels-last (shape N x C x H x W, strides of
/// N x H x W x C): libtorch's convolutions keep that layout through the network and run much faster in it
/// (README, "Speed on the CPU"). The values are the same; float
/// rounding differs slightly from the standard layout, and a run is still bit-identical to its rerun.
/// TorchSharp 0.107 has no <c>contiguous(memory_format)</c>: permute, contiguous, permute back gives that layout.
/// </summary>
public static class BatchLayout
{
    /// <summary>The default: channels-last on the CPU, the standard layout elsewhere.</summary>
    public static bool DefaultChannelsLast(Device device) => device.type == DeviceType.CPU;

    /// <summary><paramref name="batch"/> laid out channels-last (a copy) when <paramref name="channelsLast"/> and it is an image batch; else itself.</summary>
    public static Tensor Prepare(Tensor batch, bool channelsLast) =>
        channelsLast && batch.dim() == 4 ? batch.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2) : batch;
}
