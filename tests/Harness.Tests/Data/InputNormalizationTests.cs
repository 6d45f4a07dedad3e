using Harness.Data;

namespace Harness.Tests.Data;

public sealed class InputNormalizationTests
{
    /// <summary>Two 1 x 10 x 10 images per channel pair: channel 0 holds 0, 0.01, ..., 0.99 in image 0 and 1.0..1.99 in image 1; channel 1 is constant.</summary>
    private static LabeledImages Train()
    {
        var pixels = new float[2 * 2 * 100];
        for (int i = 0; i < 2; i++)
            for (int p = 0; p < 100; p++)
            {
                pixels[(i * 2 + 0) * 100 + p] = i + p / 100f;
                pixels[(i * 2 + 1) * 100 + p] = 0.25f;
            }
        return new LabeledImages(pixels, [0, 1], 2, 10, 10, ["a", "b"], ["a", "b"]);
    }

    [Fact]
    public void Stretch_takes_the_percentiles_of_the_whole_training_set_per_channel_and_records_them()
    {
        var (offset, scale, notes) = InputNormalization.Fit(Train(), "stretch");
        // 200 values evenly spread over [0, 1.99]: the 0.5th percentile is near 0.01, the 99.5th near 1.98.
        Assert.InRange(offset[0], 0.0, 0.02);
        Assert.InRange(offset[0] + scale[0], 1.97, 1.99);
        Assert.Equal(1.0, scale[1]); // constant channel: left unscaled, and said so
        Assert.Contains("no spread", notes["normalize_warning"]);
        Assert.Equal("stretch", notes["normalize"]);
        Assert.Equal(2, notes["normalize_low"].Split(',').Length);
    }

    [Fact]
    public void Stretch_clips_to_zero_and_one_and_test_sets_use_the_training_statistics()
    {
        var train = Train();
        var testPixels = Enumerable.Repeat(5f, 200).ToArray(); // far brighter than anything in training
        var data = new PreparedDataset(["a", "b"], train, [new NamedImages("test", new LabeledImages(testPixels, [0], 2, 10, 10, ["t"], ["t"]))], "fp",
            new Dictionary<string, string>(), null);
        var scaled = InputNormalization.Apply(data, "stretch");
        Assert.All(scaled.Train.Pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(0f, scaled.Train.Pixels[0]);      // below the 0.5th percentile: clipped
        Assert.Equal(1f, scaled.Tests[0].Images.Pixels[0]); // the test image did not move the statistics
        Assert.Equal("stretch", scaled.Notes["normalize"]);
    }

    [Fact]
    public void Standardize_gives_the_training_set_zero_mean_and_unit_sd()
    {
        var data = new PreparedDataset(["a", "b"], Train(), [], "fp", new Dictionary<string, string>(), null);
        var scaled = InputNormalization.Apply(data, "standardize");
        var (mean, sd) = InputNormalization.MeanAndSd(scaled.Train, 0);
        Assert.Equal(0, mean, 5);
        Assert.Equal(1, sd, 5);
        Assert.Equal(0.995, double.Parse(scaled.Notes["normalize_offset"].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture), 5);
    }

    [Fact]
    public void None_leaves_the_pixels_as_they_are()
    {
        var data = new PreparedDataset(["a", "b"], Train(), [], "fp", new Dictionary<string, string>(), null);
        var same = InputNormalization.Apply(data, "none");
        Assert.Same(data.Train, same.Train);
        Assert.Equal("none", same.Notes["normalize"]);
    }

    [Fact]
    public void The_mode_is_part_of_the_data_fingerprint()
    {
        var spec = new Harness.Specs.DataSpec(new Harness.Specs.SyntheticDataSpec("snap29-like", 2, 2, 1, 32), null);
        var image = new Harness.Specs.ImageSpec(32, 32, Harness.Specs.ColorMode.Rgb);
        Assert.NotEqual(DatasetLoader.Fingerprint(spec, image, "/"), DatasetLoader.Fingerprint(spec, image with { Normalize = "stretch" }, "/"));
        Assert.NotEqual(DatasetLoader.Fingerprint(spec, image with { Normalize = "standardize" }, "/"), DatasetLoader.Fingerprint(spec, image with { Normalize = "stretch" }, "/"));
    }
}
