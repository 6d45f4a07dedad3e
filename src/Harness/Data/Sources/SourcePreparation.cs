using System.Globalization;
using Harness.Specs;

namespace Harness.Data.Sources;

/// <summary>Steps several data sources share when they prepare their images: paths, counts in the notes, splits, 8-bit planar images.</summary>
internal static class SourcePreparation
{
    /// <summary>A spec's path made absolute against the spec's folder.</summary>
    public static string Resolve(string specDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(specDirectory, path));

    public static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Image, source group and per-class counts of one side, as <c>PREFIX_count</c>, <c>PREFIX_groups_count</c>, <c>PREFIX_count_CLASS</c>.</summary>
    public static void AddCounts(IDictionary<string, string> notes, string prefix, LabeledImages images, IReadOnlyList<string> classes)
    {
        notes[$"{prefix}_count"] = Invariant(images.Count);
        notes[$"{prefix}_groups_count"] = Invariant(images.Groups.Distinct().Count());
        for (var c = 0; c < classes.Count; c++) notes[$"{prefix}_count_{classes[c]}"] = Invariant(images.Labels.Count(l => l == c));
    }

    /// <summary>
    /// A fraction split keeps each source group whole, so a class with few groups can end up with no test image (its
    /// accuracy then silently drops out of the test score) or no training image. Either is an error naming the
    /// class and what to change, never a note.
    /// </summary>
    public static void CheckSplitCoversEveryClass(LabeledImages all, SourceGroupSplitResult split, IReadOnlyList<string> classes, double fraction, string key, string alternative)
    {
        var problems = new List<string>();
        var fractionText = fraction.ToString("R", CultureInfo.InvariantCulture);
        for (var c = 0; c < classes.Count; c++)
        {
            var members = Enumerable.Range(0, all.Count).Where(i => all.Labels[i] == c).ToArray();
            if (members.Length == 0) continue;
            var groups = members.Select(i => all.Groups[i]).Distinct().Count();
            var inTest = split.Test.Count(i => all.Labels[i] == c);
            var side = inTest == 0 ? "no test image" : inTest == members.Length ? "no training image" : null;
            if (side is null) continue;
            problems.Add(
                $"{key} {fractionText} leaves class '{classes[c]}' with {side}: its {members.Length} image(s) come from {groups} source group(s), " +
                $"and a source group is never split. Add images from more sources to '{classes[c]}', change the test fraction, {alternative}.");
        }
        if (problems.Count > 0) throw new DataException(problems);
    }

    /// <summary>8-bit planar images (N x C x H x W bytes) to prepared images; every image is its own source group.</summary>
    public static LabeledImages FromBytes(byte[] bytes, int[] labels, int count, int channels, int height, int width, string split, ImageSpec image)
    {
        var size = DatasetLoader.DataBufferLength($"{split} images", channels, height, width);
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[DatasetLoader.DataBufferLength($"prepared {split} images", count, imageSize)];
        var sources = new string[count];
        Parallel.For(0, count, i =>
        {
            var raw = new float[size];
            for (var k = 0; k < size; k++) raw[k] = bytes[(long)i * size + k];
            var rgb = ImageDecoder.ToRgb(raw, channels, height, width);
            ImageDecoder.Rescale(rgb, 255, image.Rescale);
            ImagePreprocessing.Prepare(rgb, height, width, image, pixels.AsSpan(i * imageSize, imageSize));
            sources[i] = FormattableString.Invariant($"{split}/{i:D5}");
        });
        return new LabeledImages(pixels, labels[..count], image.ColorMode.ChannelCount, image.Height, image.Width, sources, sources);
    }
}
