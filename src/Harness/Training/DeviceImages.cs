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
    /// <summary>
    /// For distinct images (<see cref="Distinct"/>, <see cref="DistinctAcross"/>), how often each occurs in the set(s) it
    /// stands for: float64, [Count] for one set, [sets, Count] for several; null when each image stands for itself.
    /// </summary>
    public Tensor? Weights { get; }
    /// <summary>Images measured per set: the size of the set(s) these stand for (<see cref="Count"/> unless <see cref="Weights"/>).</summary>
    public int Represented { get; }

    /// <summary>Puts <paramref name="images"/> on <paramref name="device"/> (sharing its pixels on the CPU).</summary>
    public DeviceImages(LabeledImages images, Device device)
        : this(new DistinctImages(images, null), device)
    {
    }

    /// <summary>
    /// A set to measure on: each distinct image of <paramref name="images"/> once, weighted by its count (see
    /// <see cref="DistinctImages"/>), so measuring it gives the metrics of the whole set; a set without repeats is
    /// put on the device as it is.
    /// </summary>
    public static DeviceImages Distinct(LabeledImages images, Device device) => new(DistinctImages.Of(images), device);

    /// <summary>
    /// The sets of a fused group's members (each its own draw from one folder) as one set of their distinct images with
    /// a row of weights per member, when that is fewer images than one member's set (so measuring every member on all
    /// of them is cheaper than each on its own); otherwise null. The sets must be of one size.
    /// </summary>
    public static DeviceImages? DistinctAcross(IReadOnlyList<LabeledImages> sets, Device device)
    {
        if (sets.Any(s => s.Count != sets[0].Count)) throw new ArgumentException("member sets of different sizes", nameof(sets));
        var distinct = DistinctImages.Of(sets);
        return distinct.Images.Count < sets[0].Count ? new DeviceImages(distinct, device) : null;
    }

    private DeviceImages(DistinctImages distinct, Device device)
    {
        var images = distinct.Images;
        Count = images.Count;
        Represented = distinct.Totals[0];
        long[] shape = [images.Count, images.Channels, images.Height, images.Width];
        if (distinct.Counts is { } counts)
        {
            var rows = counts.Select(row => row.Select(c => (double)c).ToArray()).ToArray();
            using var weights = rows.Length == 1
                ? torch.tensor(rows[0], ScalarType.Float64)
                : torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, Count], ScalarType.Float64);
            Weights = weights.to(device).DetachFromDisposeScope();
        }
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
        Weights?.Dispose();
    }
}
