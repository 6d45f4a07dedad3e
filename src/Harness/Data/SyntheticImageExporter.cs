namespace Harness.Data;

/// <summary>
/// Writes synthetic cell images as PNG files in a class-per-folder layout, <c>DIR/&lt;class&gt;/&lt;class&gt;-&lt;index&gt;.png</c>
/// (for <c>harness data synth</c>). The images are the training split of the synthetic dataset with the same
/// data seed and size, so a folder spec over the export sees the same images as the synthetic spec (up to 8-bit rounding).
/// File names carry no <c>_N</c> suffix, so under the default group pattern each image is its own source.
/// </summary>
public static class SyntheticImageExporter
{
    /// <summary>Writes <paramref name="countPerClass"/> images of each class of <paramref name="preset"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> Export(string preset, string outDir, int countPerClass, int seed = 0, int size = 256)
    {
        if (countPerClass < 0) throw new ArgumentOutOfRangeException(nameof(countPerClass));
        var cells = new SyntheticCells(preset, size);
        var classes = cells.Preset.ClassNames;
        var paths = new string[classes.Count * countPerClass];
        Parallel.For(0, paths.Length, i =>
        {
            var c = i / countPerClass;
            var k = i % countPerClass;
            var path = Path.Combine(outDir, classes[c], FormattableString.Invariant($"{classes[c]}-{k:D4}.png"));
            PngWriter.Write(path, cells.Render(c, SyntheticCells.ImageSeed(seed, "train", c, k)), 3, size, size);
            paths[i] = path;
        });
        return paths;
    }
}
