using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class TrainingSetViewTests
{
    // 60 images of 1 x 4 x 4, class 0 for the first 40, class 1 for the last 20; pixel values encode image and position.
    internal static PreparedDataset Data()
    {
        const int n = 60;
        var pixels = new float[n * 16];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (i % 16) / 16f + (i / 16) / 1000f;
        var labels = Enumerable.Range(0, n).Select(i => i < 40 ? 0 : 1).ToArray();
        var sources = Enumerable.Range(0, n).Select(i => $"img{i}").ToArray();
        var train = new LabeledImages(pixels, labels, 1, 4, 4, sources, sources);
        return new PreparedDataset(["a", "b"], train, [new NamedImages("test", train)], "fp", new Dictionary<string, string>(), null);
    }

    [Fact]
    public void Without_subset_or_control_the_training_set_is_unchanged()
    {
        var data = Data();
        Assert.Same(data.Train, TrainingSetView.ForSeed(data, null, null, 1));
    }

    [Fact]
    public void Train_subset_has_the_size_asked_for_and_keeps_the_class_proportions()
    {
        var data = Data();
        var a = TrainingSetView.ForSeed(data, 15, null, seed: 1);
        var b = TrainingSetView.ForSeed(data, 15, null, seed: 1);
        var c = TrainingSetView.ForSeed(data, 15, null, seed: 2);

        Assert.Equal(15, a.Count);
        Assert.Equal(10, a.Labels.Count(l => l == 0));
        Assert.Equal(5, a.Labels.Count(l => l == 1));
        Assert.Equal(15, a.Sources.Distinct().Count());
        Assert.Equal(a.Sources, b.Sources);
        Assert.NotEqual(a.Sources, c.Sources);
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingSetView.ForSeed(data, 61, null, 1));
    }

    [Fact]
    public void Corrupt_labels_change_exactly_the_fraction_asked_for()
    {
        var data = Data();
        var view = TrainingSetView.ForSeed(data, null, new ControlSpec("corrupt_labels", 0.25), seed: 3);
        Assert.Equal(15, view.Labels.Zip(data.Train.Labels).Count(p => p.First != p.Second));
        Assert.Equal(data.Train.Pixels, view.Pixels);
    }

    [Fact]
    public void Random_labels_are_about_half_wrong_for_two_classes_and_tests_are_untouched()
    {
        var data = Data();
        var view = TrainingSetView.ForSeed(data, null, new ControlSpec("random_labels"), seed: 3);
        Assert.InRange(view.Labels.Zip(data.Train.Labels).Count(p => p.First != p.Second), 15, 45);
        Assert.Equal(Data().Train.Labels, data.Tests[0].Images.Labels);
    }

    [Fact]
    public void Shuffled_pixels_apply_one_permutation_to_every_image()
    {
        var data = Data();
        var view = TrainingSetView.ForSeed(data, null, new ControlSpec("shuffled_pixels"), seed: 4);
        var first = Positions(view, 0);
        Assert.NotEqual(Enumerable.Range(0, 16), first);
        for (var n = 1; n < view.Count; n++) Assert.Equal(first, Positions(view, n));
        Assert.Equal(data.Train.Labels, view.Labels);
    }

    [Fact]
    public void Random_pixels_use_a_permutation_per_image()
    {
        var view = TrainingSetView.ForSeed(Data(), null, new ControlSpec("random_pixels"), seed: 4);
        Assert.True(Enumerable.Range(1, view.Count - 1).Count(n => !Positions(view, n).SequenceEqual(Positions(view, 0))) > 50);
        for (var n = 0; n < view.Count; n++) Assert.Equal(Enumerable.Range(0, 16), Positions(view, n).Order());
    }

    [Fact]
    public void Gaussian_noise_matches_the_training_mean_and_stays_in_range()
    {
        var data = Data();
        var view = TrainingSetView.ForSeed(data, null, new ControlSpec("gaussian_noise"), seed: 5);
        Assert.All(view.Pixels, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(data.Train.Pixels.Average(), view.Pixels.Average(), 1);
        Assert.NotEqual(data.Train.Pixels, view.Pixels);
    }

    [Fact]
    public void Unknown_control_is_an_error() =>
        Assert.Throws<ArgumentException>(() => TrainingSetView.ForSeed(Data(), null, new ControlSpec("mixup"), 1));

    // Position index of each output pixel of image n, read back from the encoded value.
    private static int[] Positions(LabeledImages images, int n) =>
        images.Pixels.AsSpan(n * 16, 16).ToArray().Select(v => (int)Math.Round((v - n / 1000f) * 16)).ToArray();

    [Fact]
    public void Every_registered_control_changes_the_training_images_or_labels_and_nothing_else()
    {
        var data = Data();
        foreach (var control in TrainingSetView.ControlNames)
        {
            var view = TrainingSetView.ForSeed(data, null, new ControlSpec(control, 0.5), seed: 3);

            Assert.True(!view.Labels.SequenceEqual(data.Train.Labels) || !view.Pixels.SequenceEqual(data.Train.Pixels), $"{control} changed nothing");
            Assert.Equal((data.Train.Count, data.Train.Sources), (view.Count, view.Sources));
        }
    }

    [Fact]
    public void An_unknown_control_is_refused_with_every_registered_name()
    {
        var e = Assert.Throws<ArgumentException>(() => TrainingSetView.ForSeed(Data(), null, new ControlSpec("shuffled_labels"), 1));

        Assert.Equal($"Unknown control 'shuffled_labels'; use one of {string.Join(", ", TrainingSetView.ControlNames)}.", e.Message);
    }
}
