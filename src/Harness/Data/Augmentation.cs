using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Seeded on-the-fly augmentation of training images (<c>data.augment</c>): each image gets its own random flip,
/// rotation in [-rotate_degrees, +rotate_degrees] and whole-pixel shift in [-shift_pixels, +shift_pixels], drawn
/// from a generator seeded by (run seed, epoch, image index), so an epoch's augmented set is a pure function of
/// the run and never depends on threads or on other runs.
/// </summary>
/// <remarks>
/// How the trainer calls it: once per epoch, before shuffling into batches,
/// <code>
/// var epochImages = spec.Data.Augment is { IsIdentity: false } a ? Augmentation.Apply(train, a, seed, epoch) : train;
/// </code>
/// where <c>train</c> is the seed's training view (after subsets and controls) and <c>epoch</c> counts from 1.
/// Labels, sources and groups are kept; only pixels change. Test images are never augmented.
/// The per-image index is the position in <c>images</c>, so apply it before shuffling (or to a batch with the
/// batch's first index as <c>indexOffset</c>, which gives the same pixels as augmenting the whole set).
/// </remarks>
public static class Augmentation
{
    /// <summary>Returns augmented copies of <paramref name="images"/> for <paramref name="epoch"/> of the run with <paramref name="seed"/>.</summary>
    public static LabeledImages Apply(LabeledImages images, AugmentSpec spec, int seed, int epoch, int indexOffset = 0)
    {
        if (spec.IsIdentity) return images;
        if (!ImageRotation.FillModes.Contains(spec.Fill)) throw new ArgumentException($"Unknown fill mode '{spec.Fill}'.", nameof(spec));
        var size = images.ImageSize;
        var pixels = new float[images.Pixels.Length];
        Parallel.For(0, images.Count, i =>
        {
            var rng = new SeededGenerator(SeededGenerator.Mix((ulong)(uint)seed, (ulong)(uint)epoch, (ulong)(uint)(i + indexOffset), SeededGenerator.StableHash("augmentation")));
            var source = images.Pixels.AsSpan(i * size, size);
            var flipH = spec.Flip && rng.NextDouble() < 0.5;
            var flipV = spec.Flip && rng.NextDouble() < 0.5;
            var angle = spec.RotateDegrees > 0 ? (2 * rng.NextDouble() - 1) * spec.RotateDegrees : 0;
            var dy = spec.ShiftPixels > 0 ? rng.NextInt(2 * spec.ShiftPixels + 1) - spec.ShiftPixels : 0;
            var dx = spec.ShiftPixels > 0 ? rng.NextInt(2 * spec.ShiftPixels + 1) - spec.ShiftPixels : 0;
            var result = angle != 0 || dx != 0 || dy != 0
                ? ImageRotation.Transform(source, images.Channels, images.Height, images.Width, angle, dy, dx, spec.Fill)
                : source.ToArray();
            ImageRotation.Flip(result, images.Channels, images.Height, images.Width, flipH, flipV);
            result.CopyTo(pixels.AsSpan(i * size, size));
        });
        return images with { Pixels = pixels };
    }
}
