using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

/// <summary>
/// Every data-side draw seeds its generator through the one derivation documented on <see cref="SeededGenerator"/>:
/// Mix of the seed, then what sets the draw apart, its purpose as a stable hash. Pinned: a change would change the data
/// of every stored run, so it must fail loudly.
/// </summary>
public sealed class DataSeedTests
{
    private static ulong H(string name) => SeededGenerator.StableHash(name);

    // 60 images of 1 x 4 x 4 in two classes, every pixel value different (so that a flip shows).
    private static PreparedDataset Data() => TrainingSetViewTests.Data();

    [Fact]
    public void The_derivation_itself_is_pinned()
    {
        Assert.Equal(0x9D36A6DDA4E183A5UL, H("augmentation"));
        Assert.Equal(0x5886C82881DB19EEUL, SeededGenerator.Mix(7, H("train_subset")));
    }

    [Fact]
    public void The_train_subset_of_a_seed_is_pinned()
    {
        var subset = TrainingSetView.ForSeed(Data(), 6, null, seed: 7);
        Assert.Equal(["img7", "img15", "img24", "img27", "img45", "img56"], subset.Sources);
    }

    [Fact]
    public void A_control_draws_from_the_seed_mixed_with_its_kind()
    {
        var rng = new SeededGenerator(SeededGenerator.Mix(7, H("random_labels")));
        var expected = Enumerable.Range(0, 60).Select(_ => rng.NextInt(2)).ToArray();
        Assert.Equal(expected, TrainingSetView.ForSeed(Data(), null, new ControlSpec("random_labels"), seed: 7).Labels);
    }

    [Fact]
    public void Augmentation_draws_per_image_from_the_seed_epoch_and_index()
    {
        var train = Data().Train;
        var flipped = Augmentation.Apply(train, new AugmentSpec(Flip: true), seed: 7, epoch: 3);
        Assert.NotEqual(train.Pixels, flipped.Pixels);
        for (int i = 0; i < train.Count; i++)
        {
            var rng = new SeededGenerator(SeededGenerator.Mix(7, 3, (ulong)i, H("augmentation")));
            bool horizontal = rng.NextDouble() < 0.5, vertical = rng.NextDouble() < 0.5;
            var expected = train.Pixels.AsSpan(i * 16, 16).ToArray();
            ImageRotation.Flip(expected, 1, 4, 4, horizontal, vertical);
            Assert.Equal(expected, flipped.Pixels.AsSpan(i * 16, 16).ToArray());
        }
    }

    [Fact]
    public void Synthetic_images_and_fields_are_seeded_by_the_same_derivation()
    {
        Assert.Equal(SeededGenerator.Mix(7, H("train"), 1, 3), SyntheticCells.ImageSeed(7, "train", 1, 3));
        Assert.Equal(SeededGenerator.Mix(7, H("field"), H("test"), 0, 2), SyntheticFields.FieldSeed(7, "test", 0, 2));
    }
}
