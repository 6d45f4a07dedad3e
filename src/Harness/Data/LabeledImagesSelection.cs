namespace Harness.Data;

/// <summary>Copies chosen images out of one or more <see cref="LabeledImages"/> of one image size, optionally with new labels.</summary>
internal static class LabeledImagesSelection
{
    public static LabeledImages Select(LabeledImages images, IReadOnlyList<int> indices, int[]? labels = null) =>
        Gather([images], indices.Select(i => (0, i)).ToArray(), labels);

    /// <summary>The images at <paramref name="at"/> (set, index) of <paramref name="sets"/>, in that order, as one set.</summary>
    public static LabeledImages Gather(IReadOnlyList<LabeledImages> sets, IReadOnlyList<(int Set, int Index)> at, int[]? labels = null)
    {
        var first = sets[0];
        var size = first.ImageSize;
        var pixels = new float[(long)at.Count * size];
        for (var i = 0; i < at.Count; i++)
            sets[at[i].Set].Pixels.AsSpan(at[i].Index * size, size).CopyTo(pixels.AsSpan(i * size, size));
        return new LabeledImages(
            pixels,
            labels ?? at.Select(a => sets[a.Set].Labels[a.Index]).ToArray(),
            first.Channels,
            first.Height,
            first.Width,
            at.Select(a => sets[a.Set].Sources[a.Index]).ToArray(),
            at.Select(a => sets[a.Set].Groups[a.Index]).ToArray());
    }
}
