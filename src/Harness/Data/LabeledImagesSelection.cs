namespace Harness.Data;

/// <summary>Copies chosen images out of a <see cref="LabeledImages"/>, optionally with new labels.</summary>
internal static class LabeledImagesSelection
{
    public static LabeledImages Select(LabeledImages images, IReadOnlyList<int> indices, int[]? labels = null)
    {
        var size = images.ImageSize;
        var pixels = new float[(long)indices.Count * size];
        for (var i = 0; i < indices.Count; i++)
            images.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size, size));
        return new LabeledImages(
            pixels,
            labels ?? indices.Select(i => images.Labels[i]).ToArray(),
            images.Channels,
            images.Height,
            images.Width,
            indices.Select(i => images.Sources[i]).ToArray(),
            indices.Select(i => images.Groups[i]).ToArray());
    }
}
