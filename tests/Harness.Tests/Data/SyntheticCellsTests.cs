using Harness.Data;

namespace Harness.Tests.Data;

public sealed class SyntheticCellsTests
{
    [Fact]
    public void Same_seed_gives_identical_pixels()
    {
        var cells = new SyntheticCells("snap29-like", 32);
        var seed = SyntheticCells.ImageSeed(7, "train", 1, 3);
        Assert.Equal(cells.Render(1, seed), new SyntheticCells("snap29-like", 32).Render(1, seed));
    }

    [Fact]
    public void Different_seeds_give_different_pixels()
    {
        var cells = new SyntheticCells("snf7-like", 32);
        Assert.NotEqual(cells.Render(0, SyntheticCells.ImageSeed(0, "train", 0, 0)), cells.Render(0, SyntheticCells.ImageSeed(1, "train", 0, 0)));
        Assert.NotEqual(cells.Render(0, SyntheticCells.ImageSeed(0, "train", 0, 0)), cells.Render(0, SyntheticCells.ImageSeed(0, "test", 0, 0)));
    }

    [Fact]
    public void Generated_image_matches_a_single_regenerated_image()
    {
        var cells = new SyntheticCells("snap29-like", 32);
        var set = cells.Generate("train", 3, 5);
        var single = cells.Render(1, SyntheticCells.ImageSeed(5, "train", 1, 2));
        Assert.Equal(single, set.Pixels.AsSpan(5 * set.ImageSize, set.ImageSize).ToArray());
        Assert.Equal("train/snap29/0002", set.Sources[5]);
    }

    [Theory]
    [InlineData("snap29-like", "control", "snap29")]
    [InlineData("snf7-like", "control", "snf7")]
    public void Presets_have_their_classes_sorted(string preset, string first, string second)
    {
        var classes = SyntheticPreset.Get(preset).ClassNames;
        Assert.Equal([first, second], classes);
        Assert.Equal(classes.Order(StringComparer.Ordinal), classes);
    }

    [Fact]
    public void Unknown_preset_is_an_error_naming_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => SyntheticPreset.Get("hela"));
        Assert.Contains("snf7-like", e.Message);
    }

    [Fact]
    public void One_colour_preset_has_only_green()
    {
        var cells = new SyntheticCells("snf7-like", 32);
        var pixels = cells.Render(1, 42);
        var plane = 32 * 32;
        Assert.All(pixels.AsSpan(0, plane).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(pixels.AsSpan(2 * plane, plane).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(pixels.AsSpan(plane, plane).ToArray(), v => v > 0.2f);
    }

    [Fact]
    public void Two_colour_preset_has_red_nuclei_and_green_cells_in_range()
    {
        var pixels = new SyntheticCells("snap29-like", 64).Render(0, 1);
        var plane = 64 * 64;
        Assert.All(pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(pixels.AsSpan(0, plane).ToArray(), v => v > 0.3f);
        Assert.Contains(pixels.AsSpan(plane, plane).ToArray(), v => v > 0.2f);
    }

    [Fact]
    public void Depleted_class_has_brighter_puncta_on_average()
    {
        var cells = new SyntheticCells("snap29-like", 64);
        double Bright(int c) => Enumerable.Range(0, 10)
            .Average(i => cells.Render(c, SyntheticCells.ImageSeed(0, "train", c, i)).Skip(64 * 64).Take(64 * 64).Count(v => v > 0.6f));
        Assert.True(Bright(1) > 2 * Bright(0) + 1, $"control {Bright(0)}, snap29 {Bright(1)}");
    }

    [Theory]
    [InlineData("snap29-like", 0.97, 0.99)]
    [InlineData("snf7-like", 0.68, 0.72)]
    public void Bayes_accuracy_is_in_the_intended_range(string preset, double low, double high) =>
        Assert.InRange(SyntheticCells.BayesOptimalAccuracy(preset), low, high);

    [Theory]
    [InlineData("snap29-like")]
    [InlineData("snf7-like")]
    public void Bayes_accuracy_agrees_with_a_Monte_Carlo_estimate_from_the_generators_latent_draws(string preset)
    {
        var cells = new SyntheticCells(preset, 32);
        const int perClass = 4000;
        var correct = 0;
        for (var c = 0; c < 2; c++)
        {
            for (var i = 0; i < perClass; i++)
            {
                var k = cells.TotalPuncta(c, SyntheticCells.ImageSeed(123, "mc", c, i));
                if (cells.Preset.BayesDecision(k) == c) correct++;
            }
        }
        Assert.InRange(correct / (2.0 * perClass), SyntheticCells.BayesOptimalAccuracy(preset) - 0.02, SyntheticCells.BayesOptimalAccuracy(preset) + 0.02);
    }

    [Fact]
    public void Four_hundred_full_size_images_render_quickly()
    {
        var cells = new SyntheticCells("snap29-like", 256);
        cells.Render(0, 0);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 40; i++) cells.Render(i % 2, (ulong)i);
        // 400 images take about 1.5 s in Release and 4 s in Debug on one core; this only catches a gross regression
        // (the suite runs tests in parallel on 2 shared cores, so tight timing bounds would be flaky).
        Assert.True(watch.Elapsed.TotalSeconds < 8, $"40 images took {watch.Elapsed.TotalSeconds:0.00} s");
    }
}
