using Harness.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// A labelled image set living on the training device, then sliced into batches by index. On the CPU the tensor
/// shares the managed pixel array (pinned for the tensor's lifetime, no copy), so a data set is held once in memory,
/// not twice; on a GPU the pixels are copied to the device once.
/// </summary>
public sealed class DeviceImages : IDisposable
{
    /// <summary>Images, N x C x H x W, float32 in [0, 1]. Read only: on the CPU it is the managed pixel array itself.</summary>
    public Tensor Images { get; }
    /// <summary>Class indices, int64, length N.</summary>
    public Tensor Labels { get; }
    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Puts <paramref name="images"/> on <paramref name="device"/> (sharing its pixels on the CPU).</summary>
    public DeviceImages(LabeledImages images, Device device)
    {
        Count = images.Count;
        long[] shape = [images.Count, images.Channels, images.Height, images.Width];
        using var labels = torch.tensor(images.Labels.Select(l => (long)l).ToArray());
        Labels = labels.to(device).DetachFromDisposeScope();
        if (images.Pixels.Length == 0)
        {
            Images = torch.zeros(shape, device: device).DetachFromDisposeScope();
            return;
        }
        using var shared = torch.frombuffer(images.Pixels, ScalarType.Float32);
        // On the CPU view() shares the storage (and with it the pinned array); elsewhere to() copies once.
        Images = (device.type == DeviceType.CPU ? shared.view(shape) : shared.view(shape).to(device)).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
