using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

/// <summary>
/// A prepared data set is the data of the folders named, never of other folders with the same files: the cache key
/// holds absolute sources and the class list; empty classes, classes a split leaves out, symbolic link loops and
/// 16-bit PNGs are each seen for what they are.
/// </summary>
public sealed class DataSourceIdentityTests
{
    private static readonly ImageSpec Tiny = new(8, 8, ColorMode.Mono, ResizeFilter: "area");

    private static void WriteClasses(string root, int perClass, params string[] classes)
    {
        foreach (var (name, c) in classes.Select((n, i) => (n, i)))
            for (var k = 0; k < perClass; k++)
            {
                var p = new float[16 * 16];
                for (var i = 0; i < p.Length; i++) p[i] = (i * (k + 3) + 40 * c) % 250;
                TiffWriter.Write(Path.Combine(root, name, $"S{k}.tif"), [p], 1, 16, 16, 8);
            }
    }

    [Fact]
    public void The_same_files_in_another_folder_are_another_data_set_with_their_own_folder_in_the_notes()
    {
        using var temp = new TempFolder();
        using var cacheDir = new TempFolder();
        WriteClasses(temp.Combine("one"), 2, "a", "b");
        WriteClasses(temp.Combine("two"), 2, "a", "b");
        var cache = new DatasetDiskCache(cacheDir.Path);

        var first = DatasetLoader.Load(new DataSpec(new FolderDataSpec("one", [], 0.5)), Tiny, temp.Path, cache);
        var second = DatasetLoader.Load(new DataSpec(new FolderDataSpec("two", [], 0.5)), Tiny, temp.Path, cache);

        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
        Assert.Equal(temp.Combine("two"), second.Notes["train_folder"]);
    }

    [Fact]
    public void An_empty_class_folder_is_an_error_even_when_the_same_images_were_prepared_before()
    {
        using var temp = new TempFolder();
        using var cacheDir = new TempFolder();
        WriteClasses(temp.Combine("data"), 2, "a", "b");
        var cache = new DatasetDiskCache(cacheDir.Path);
        var spec = new DataSpec(new FolderDataSpec("data", [], 0.5));
        var before = DatasetLoader.Load(spec, Tiny, temp.Path, cache);

        Directory.CreateDirectory(temp.Combine("data", "c"));
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(spec, Tiny, temp.Path, cache));

        Assert.Contains(temp.Combine("data", "c"), e.Message);
        Assert.Contains("holds no images", e.Message);
        Assert.NotEqual(before.Fingerprint, DatasetLoader.Fingerprint(spec, Tiny, temp.Path));
    }

    [Fact]
    public void A_test_fraction_that_leaves_a_class_without_test_images_is_an_error_saying_what_to_do()
    {
        using var temp = new TempFolder();
        WriteClasses(temp.Combine("data"), 4, "a");
        // Class b: four tiles of one source, which a split keeps together on one side.
        for (var k = 0; k < 4; k++) TiffWriter.Write(temp.Combine("data", "b", $"F1_t0x{k}.tif"), [new float[256].Select((_, i) => (float)((i * (k + 1)) % 200)).ToArray()], 1, 16, 16, 8);

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(new DataSpec(new FolderDataSpec("data", [], 0.25)), Tiny, temp.Path));

        Assert.Contains("class 'b' with no", e.Message);
        Assert.Contains("1 source group(s)", e.Message);
        Assert.Contains("data.folders.tests", e.Message);
    }

    [Fact]
    public void A_symbolic_link_loop_is_not_followed_and_every_image_counts_once()
    {
        using var temp = new TempFolder();
        WriteClasses(temp.Combine("data"), 4, "a", "b");
        Directory.CreateSymbolicLink(temp.Combine("data", "a", "loop"), temp.Combine("data", "a"));
        Directory.CreateSymbolicLink(temp.Combine("data", "b", "up"), temp.Combine("data"));
        Directory.CreateSymbolicLink(temp.Combine("data", "c"), temp.Combine("data"));
        Directory.CreateDirectory(temp.Combine("data", "c2"));
        TiffWriter.Write(temp.Combine("data", "c2", "S0.tif"), [new float[256]], 1, 16, 16, 8);

        var inspection = DataInspector.Inspect([temp.Combine("data")]).Folders.Single();

        // Class c, a link to the data set itself, holds nothing of its own: an empty class.
        Assert.Equal([4, 4, 0, 1], inspection.CountPerClass);
        Assert.Contains(inspection.Problems, p => p.Contains("class folder c holds no images", StringComparison.Ordinal));
        Directory.Delete(temp.Combine("data", "c"));
        var listing = ImageFolderReader.List(temp.Combine("data"));
        Assert.Equal(9, listing.Files.Count);
        Assert.Contains(listing.Ignored, i => i.StartsWith("a/loop/", StringComparison.Ordinal));
        Assert.NotEqual("", DatasetLoader.Fingerprint(new DataSpec(new FolderDataSpec("data", [], 0.5)), Tiny, temp.Path));
    }

    [Fact]
    public void A_sixteen_bit_png_is_reported_and_decoded_at_sixteen_bits()
    {
        using var temp = new TempFolder();
        ushort[] grey = [0, 1000, 4000, 4095];
        BadImageFiles.Png16(temp.Combine("data", "a", "g.png"), 2, 2, 0, 1, grey);
        ushort[] rgba = [0, 1, 2, 9, 65535, 30000, 7, 9, 100, 200, 300, 9, 400, 500, 600, 9];
        BadImageFiles.Png16(temp.Combine("data", "b", "c.png"), 2, 2, 6, 4, rgba);

        var g = ImageDecoder.DecodeRaw(temp.Combine("data", "a", "g.png"));
        var c = ImageDecoder.DecodeRaw(temp.Combine("data", "b", "c.png"));
        var inspection = DataInspector.Inspect([temp.Combine("data")]);

        Assert.Equal((16, 12, 1), (g.BitsPerSample, g.EffectiveBits, g.Channels));
        Assert.Equal([0f, 1000, 4000, 4095], g.Pixels);
        Assert.Equal(3, c.Channels);
        Assert.Equal([0f, 65535, 100, 400, 1, 30000, 200, 500, 2, 7, 300, 600], c.Pixels);
        Assert.Equal(["16-bit", "16-bit (12 effective)"], inspection.BitDepths.Keys.ToArray());
    }

    [Fact]
    public void Every_png_row_filter_is_undone_exactly_at_sixteen_bits()
    {
        using var temp = new TempFolder();
        var random = new Random(7);
        var values = Enumerable.Range(0, 3 * 5 * 11).Select(_ => (ushort)random.Next(65536)).ToArray();
        BadImageFiles.Png16(temp.Combine("rgb.png"), 5, 11, 2, 3, values);

        var raw = ImageDecoder.DecodeRaw(temp.Combine("rgb.png"));

        for (var i = 0; i < 5 * 11; i++)
            for (var c = 0; c < 3; c++) Assert.Equal(values[3 * i + c], raw.Pixels[c * 55 + i]);
    }
}
