using Harness.Data;
using Harness.Native;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class DeviceImagesTests
{
    [Fact]
    public void On_the_cpu_the_tensor_reads_the_managed_pixels_without_a_copy()
    {
        TorchRuntime.EnsureLoaded();
        var pixels = Enumerable.Range(0, 2 * 3 * 4 * 5).Select(i => i / 200f).ToArray();
        var images = new LabeledImages(pixels, [1, 0], 3, 4, 5, ["a", "b"], ["a", "b"]);

        using var onDevice = new DeviceImages(images, CPU);

        Assert.Equal(new long[] { 2, 3, 4, 5 }, onDevice.Images.shape);
        Assert.Equal(pixels[1 * 60 + 2 * 20 + 3 * 5 + 4], onDevice.Images[1, 2, 3, 4].item<float>());
        Assert.Equal(new long[] { 1, 0 }, onDevice.Labels.data<long>().ToArray());
        // One copy in memory: a change of the managed array is seen by the tensor (the trainer never writes to either).
        pixels[0] = 42f;
        Assert.Equal(42f, onDevice.Images[0, 0, 0, 0].item<float>());
    }

    [Fact]
    public void Batches_are_copies_so_training_cannot_change_the_data_set()
    {
        TorchRuntime.EnsureLoaded();
        var pixels = new float[4 * 1 * 2 * 2];
        var images = new LabeledImages(pixels, [0, 1, 0, 1], 1, 2, 2, ["a", "b", "c", "d"], ["a", "b", "c", "d"]);
        using var onDevice = new DeviceImages(images, CPU);
        using var index = torch.tensor(new long[] { 2, 0 });

        using var batch = onDevice.Images.index_select(0, index);
        batch.add_(1f);

        Assert.All(pixels, p => Assert.Equal(0f, p));
    }

    [Fact]
    public void An_empty_set_becomes_an_empty_tensor_of_the_right_shape()
    {
        TorchRuntime.EnsureLoaded();
        var images = new LabeledImages([], [], 3, 8, 8, [], []);
        using var onDevice = new DeviceImages(images, CPU);
        Assert.Equal(new long[] { 0, 3, 8, 8 }, onDevice.Images.shape);
        Assert.Equal(0, onDevice.Count);
    }
}
