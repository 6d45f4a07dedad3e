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

    /// <summary>
    /// <paramref name="batch"/> laid out channels-last when <paramref name="channelsLast"/> and it is an image batch; else
    /// itself. With several channels that is a copy. With one channel both layouts hold the values in the same order, but
    /// libtorch reads the layout from the strides: a one-channel batch keeps its standard strides through permute and
    /// contiguous (a size-1 dimension's stride does not count), so the first convolution wrote its output in the
    /// standard layout, and the rest of the network ran there, 2-3x slower (measured: max-pool 1 took 100 ms per
    /// batch of 20 at 256 x 256 against 11 ms channels-last). So a one-channel batch gets the channels-last strides
    /// (H·W, 1, W, 1) over the same memory (no copy).
    /// </summary>
    public static Tensor Prepare(Tensor batch, bool channelsLast)
    {
        if (!channelsLast || batch.dim() != 4) return batch;
        if (batch.shape[1] != 1) return batch.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        var standard = batch.contiguous();
        long height = standard.shape[2], width = standard.shape[3];
        return standard.as_strided(standard.shape, [height * width, 1, width, 1], standard.storage_offset());
    }
}
