using Harness.Data;
using Harness.Training;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class EvaluationBatchTests
{
    [Theory]
    [InlineData(28, 200, 200)]   // small images keep the requested batch
    [InlineData(256, 200, 64)]   // 4 Mi pixels / 65,536 per image
    [InlineData(256, 50, 50)]    // never more than asked
    [InlineData(4096, 200, 1)]   // at least one image
    public void Large_images_are_measured_in_batches_of_bounded_pixels(int side, int requested, int expected)
    {
        var images = new LabeledImages(new float[side * side], [0], 1, side, side, ["a"], ["a"]);
        using var data = new DeviceImages(images, CPU);
        Assert.Equal(expected, Evaluation.BatchSize(requested, data));
    }
}
