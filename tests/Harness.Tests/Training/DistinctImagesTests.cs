using Harness.Data;
using Harness.Models;
using Harness.Specs;
using Harness.Training;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

/// <summary>
/// Test sets whose images repeat (the published folders' identical copies) are measured once per distinct image,
/// weighted by its count: the metrics must be those of the whole set.
/// </summary>
public sealed class DistinctImagesTests
{
    private static readonly ModelShape Shape = new(3, 32, 32, 10);

    /// <summary>
    /// 6 distinct random images (labels 0..5, except image 5 has image 4's pixels under another label), repeated by the
    /// pattern <paramref name="order"/> of distinct indices.
    /// </summary>
    private static LabeledImages Repeated(int[] order)
    {
        int size = Shape.Channels * Shape.Height * Shape.Width;
        var random = new Random(7);
        var distinct = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, size).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        distinct[5] = distinct[4]; // same pixels, other label: not the same image
        var pixels = order.SelectMany(i => distinct[i]).ToArray();
        var sources = order.Select((d, i) => $"tile{d}_{i * 18}").ToArray();
        return new LabeledImages(pixels, order, Shape.Channels, Shape.Height, Shape.Width, sources, order.Select(d => $"tile{d}").ToArray());
    }

    private static readonly int[] Order = [0, 1, 0, 2, 2, 2, 3, 4, 5, 1, 0, 4, 3, 2, 0, 5, 5, 1, 2, 0];

    [Fact]
    public void Repeated_images_are_kept_once_with_their_counts_in_order_of_first_occurrence()
    {
        var distinct = DistinctImages.Of(Repeated(Order));

        Assert.Equal([0, 1, 2, 3, 4, 5], distinct.Images.Labels);
        Assert.Equal([5, 3, 5, 2, 2, 3], distinct.Counts![0]);
        Assert.Equal([Order.Length], distinct.Totals);
        Assert.Equal(["tile0_0", "tile1_18", "tile2_54", "tile3_108", "tile4_126", "tile5_144"], distinct.Images.Sources);
    }

    [Fact]
    public void A_set_shared_by_the_runs_of_a_sweep_is_searched_once()
    {
        var images = Repeated(Order);
        var other = Repeated(Order); // equal images, another set

        Assert.Same(DistinctImages.Of(images), DistinctImages.Of(images));
        Assert.NotSame(DistinctImages.Of(images), DistinctImages.Of(other));
        Assert.Equal(DistinctImages.Of(images).Counts![0], DistinctImages.Of(other).Counts![0]);
    }

    [Fact]
    public void A_set_without_repeats_stays_as_it_is()
    {
        var images = Repeated([0, 1, 2, 3, 4, 5]); // 4 and 5: equal pixels, different labels
        var distinct = DistinctImages.Of(images);

        Assert.Same(images, distinct.Images);
        Assert.Null(distinct.Counts);
        using var onDevice = DeviceImages.Distinct(images, CPU);
        Assert.Null(onDevice.Weights);
        Assert.Equal(6, onDevice.Represented);
    }

    [Theory]
    [InlineData("keras")]
    [InlineData("torch")]
    public void Measuring_the_distinct_images_gives_the_metrics_of_the_whole_set(string init)
    {
        var scheme = init == "keras" ? InitScheme.Keras : InitScheme.Torch;
        var images = Repeated(Order);
        using var whole = new DeviceImages(images, CPU);
        using var distinct = DeviceImages.Distinct(images, CPU);
        Assert.Equal(6, distinct.Count);
        Assert.Equal(20, distinct.Represented);
        using var generator = new Generator(11);
        using var model = ModelRegistry.Create("cifar-small", Shape, scheme, generator);

        // Batches of 4 split the distinct images and their weights across batches.
        var expected = Evaluation.Measure("test", model, whole, scheme, batchSize: 4, channelsLast: false);
        var measured = Evaluation.Measure("test", model, distinct, scheme, batchSize: 4, channelsLast: false);

        AssertSame(expected, measured);
    }

    [Fact]
    public void A_fused_group_measures_the_distinct_images_as_each_member_measures_the_whole_set()
    {
        var images = Repeated(Order);
        using var whole = new DeviceImages(images, CPU);
        using var distinct = DeviceImages.Distinct(images, CPU);
        int[] seeds = [3, 5, 8];
        using var fused = FusedEnsemble.Create("cifar-small", Shape, InitScheme.Keras, seeds, CPU, channelsLast: false);

        var measured = FusedEvaluation.Measure("test", fused, [distinct, distinct, distinct], InitScheme.Keras, batchSize: 4);
        var expected = FusedEvaluation.Measure("test", fused, [whole, whole, whole], InitScheme.Keras, batchSize: 4);

        for (int m = 0; m < seeds.Length; m++) AssertSame(expected[m], measured[m]);
        Assert.NotEqual(expected[0].Loss, expected[1].Loss);
    }

    /// <summary>
    /// Equal up to float32 rounding: an image's logits depend in their last bits on the batch it is computed in, and the
    /// distinct images are batched differently from the whole set.
    /// </summary>
    [Fact]
    public void Members_drawing_from_one_folder_are_measured_on_their_distinct_images_each_with_its_own_counts()
    {
        // Three members, each its own draw of 12 from six tiles (as train_subset draws from a folder of copies).
        int[][] draws = [[0, 1, 0, 2, 2, 2, 3, 4, 5, 1, 0, 4], [3, 3, 3, 3, 2, 1, 0, 0, 1, 4, 4, 4], [5, 5, 1, 2, 3, 0, 0, 0, 1, 1, 2, 2]];
        var sets = draws.Select(Repeated).ToArray();
        using var together = DeviceImages.DistinctAcross(sets, CPU);
        Assert.NotNull(together);
        Assert.Equal(6, together!.Count);
        Assert.Equal(12, together.Represented);
        Assert.Equal([3, 6], together.Weights!.shape);
        var own = sets.Select(s => new DeviceImages(s, CPU)).ToArray();
        int[] seeds = [3, 5, 8];
        using var fused = FusedEnsemble.Create("cifar-small", Shape, InitScheme.Keras, seeds, CPU, channelsLast: false);

        var expected = FusedEvaluation.Measure("train", fused, own, InitScheme.Keras, batchSize: 4);
        var measured = FusedEvaluation.Measure("train", fused, [together, together, together], InitScheme.Keras, batchSize: 4);

        for (int m = 0; m < seeds.Length; m++) AssertSame(expected[m], measured[m]);
        foreach (var d in own) d.Dispose();
    }

    [Fact]
    public void Members_sets_are_measured_each_on_its_own_when_their_distinct_images_are_not_fewer()
    {
        // Six distinct images in all, five per member: measuring every member on all six would cost more.
        var sets = new[] { Repeated([0, 1, 2, 3, 4]), Repeated([1, 2, 3, 4, 5]) };
        Assert.Null(DeviceImages.DistinctAcross(sets, CPU));
        Assert.Null(DeviceImages.DistinctAcross([Repeated([0, 1, 2, 3, 4, 5])], CPU));
        using var one = DeviceImages.DistinctAcross([Repeated(Order)], CPU);
        Assert.Equal(1, one!.Weights!.dim());
    }

    private static void AssertSame(TestSetMetrics expected, TestSetMetrics actual)
    {
        Assert.Equal(expected.Accuracy, actual.Accuracy);
        Assert.Equal(expected.Loss, actual.Loss, 1e-6);
        Assert.Equal(expected.ExpectedCalibrationError, actual.ExpectedCalibrationError, 1e-6);
        AssertClose(expected.MeanConfidenceCorrect, actual.MeanConfidenceCorrect);
        AssertClose(expected.MeanConfidenceWrong, actual.MeanConfidenceWrong);
    }

    private static void AssertClose(double expected, double actual)
    {
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual));
        else Assert.Equal(expected, actual, 1e-6);
    }
}
