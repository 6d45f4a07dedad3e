using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class TrainingControlTests
{
    // 40 images of 1 x 4 x 4 in two classes; pixel values differ by image and position.
    private static PreparedDataset Data()
    {
        const int n = 40;
        var pixels = new float[n * 16];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (i % 16) / 16f + (i / 16) / 100f;
        var labels = Enumerable.Range(0, n).Select(i => i % 2).ToArray();
        var sources = Enumerable.Range(0, n).Select(i => $"img{i}").ToArray();
        var train = new LabeledImages(pixels, labels, 1, 4, 4, sources, sources);
        return new PreparedDataset(["a", "b"], train, [new NamedImages("test", train)], "fp", new Dictionary<string, string>(), null);
    }

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
