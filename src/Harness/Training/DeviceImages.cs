using Harness.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>A labelled image set living on the training device: copied once, then sliced into batches.</summary>
public sealed class DeviceImages : IDisposable
{
    /// <summary>Images, N x C x H x W, float32 in [0, 1].</summary>
    public Tensor Images { get; }
    /// <summary>Class indices, int64, length N.</summary>
    public Tensor Labels { get; }
    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Copies <paramref name="images"/> to <paramref name="device"/>.</summary>
    public DeviceImages(LabeledImages images, Device device)
    {
        Count = images.Count;
        using var pixels = torch.tensor(images.Pixels, [images.Count, images.Channels, images.Height, images.Width]);
        using var labels = torch.tensor(images.Labels.Select(l => (long)l).ToArray());
        Images = pixels.to(device).DetachFromDisposeScope();
        Labels = labels.to(device).DetachFromDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
