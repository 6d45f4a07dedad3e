using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class RealImageDataTests
{
    private static readonly ImageSpec Tiny = new(8, 8, ColorMode.Mono, ResizeFilter: "area");

    private static float[] Ramp(int channels, int h, int w, float max)
    {
        var p = new float[channels * h * w];
        for (var i = 0; i < p.Length; i++) p[i] = (float)Math.Round(max * i / (p.Length - 1));
        return p;
    }

    [Fact]
    public void Twelve_bit_data_in_a_sixteen_bit_tiff_is_scaled_by_4095_not_65535()
    {
        using var temp = new TempFolder();
        var pixels = Ramp(1, 4, 4, 4000);
        TiffWriter.Write(temp.Combine("a.tif"), [pixels], 1, 4, 4, 16, "packbits");

        var raw = ImageDecoder.DecodeRaw(temp.Combine("a.tif"));
        var image = ImageDecoder.Decode(temp.Combine("a.tif"));

        Assert.Equal((16, 12, 1), (raw.BitsPerSample, raw.EffectiveBits, raw.Channels));
        Assert.Equal(4000f / 4095f, image.Pixels[15], 5);
        Assert.Equal(image.Pixels[15], image.Pixels[16 + 15]);
    }

    [Fact]
    public void Eight_bit_lzw_tiff_and_two_channel_tiff_are_decoded()
    {
        using var temp = new TempFolder();
        TiffWriter.Write(temp.Combine("g.tif"), [Ramp(1, 3, 5, 255)], 1, 3, 5, 8, "lzw");
        var two = Ramp(2, 3, 5, 60000);
        TiffWriter.Write(temp.Combine("two.tif"), [two], 2, 3, 5, 16, "deflate");

        var grey = ImageDecoder.DecodeRaw(temp.Combine("g.tif"));
        var raw = ImageDecoder.DecodeRaw(temp.Combine("two.tif"));
        var rgb = ImageDecoder.Decode(temp.Combine("two.tif"));

        Assert.Equal((8, 8, 255f), (grey.BitsPerSample, grey.EffectiveBits, grey.MaxValue));
        Assert.Equal(2, raw.Channels);
        Assert.Equal(two, raw.Pixels);
        Assert.Equal(two[15] / 65535f, rgb.Pixels[15], 5);
        Assert.All(rgb.Pixels[30..], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Multi_page_tiff_gives_the_chosen_page_or_a_projection()
    {
        using var temp = new TempFolder();
        var a = new float[] { 0, 100, 200, 300 };
        var b = new float[] { 400, 0, 200, 100 };
        TiffWriter.Write(temp.Combine("stack.tif"), [a, b], 1, 2, 2, 16);

        Assert.Equal(2, ImageDecoder.DecodeRaw(temp.Combine("stack.tif")).Pages);
        Assert.Equal(a, ImageDecoder.DecodeRaw(temp.Combine("stack.tif"), "0").Pixels);
        Assert.Equal(b, ImageDecoder.DecodeRaw(temp.Combine("stack.tif"), "1").Pixels);
        Assert.Equal([400f, 100, 200, 300], ImageDecoder.DecodeRaw(temp.Combine("stack.tif"), "max").Pixels);
        Assert.Equal([200f, 50, 200, 200], ImageDecoder.DecodeRaw(temp.Combine("stack.tif"), "mean").Pixels);
        var e = Assert.Throws<InvalidDataException>(() => ImageDecoder.DecodeRaw(temp.Combine("stack.tif"), "2"));
        Assert.Contains("2 page(s)", e.Message);
    }

    private static void WriteClassFolders(string root, int perClass, int size = 16)
    {
        for (var c = 0; c < 2; c++)
            for (var k = 0; k < perClass; k++)
            {
                var p = new float[size * size];
                for (var i = 0; i < p.Length; i++) p[i] = (i * (k + 3) + 50 * c) % 4000;
                TiffWriter.Write(Path.Combine(root, c == 0 ? "a" : "b", $"S{k}.tif"), [p], 1, size, size);
            }
    }

    [Fact]
    public void Corrupt_truncated_empty_and_unsupported_files_are_all_reported_then_skipped_on_request()
    {
        using var temp = new TempFolder();
        WriteClassFolders(temp.Combine("data"), 3);
        var good = File.ReadAllBytes(temp.Combine("data", "a", "S0.tif"));
        File.WriteAllBytes(temp.Combine("data", "a", "trunc.tif"), good[..(good.Length / 3)]);
        File.WriteAllBytes(temp.Combine("data", "a", "empty.png"), []);
        File.WriteAllText(temp.Combine("data", "b", "text.png"), "not a png");
        PngWriter.Write(temp.Combine("x.png"), new float[3 * 64 * 64].Select((_, i) => (i % 7) / 7f).ToArray(), 3, 64, 64);
        var png = File.ReadAllBytes(temp.Combine("x.png"));
        File.WriteAllBytes(temp.Combine("data", "b", "trunc.png"), png[..(png.Length / 2)]);
        var spec = new DataSpec(new FolderDataSpec("data", [], 0.34));

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(spec, Tiny, temp.Path));
        var skipped = DatasetLoader.Load(spec with { SkipUnreadable = true }, Tiny, temp.Path);

        Assert.True(e.Problems.Any(p => p.Contains("trunc.tif") && p.Contains("corrupt or truncated")), string.Join("\n", e.Problems));
        Assert.Contains(e.Problems, p => p.Contains("empty.png") && p.Contains("empty file"));
        Assert.Contains(e.Problems, p => p.Contains("text.png"));
        Assert.Contains(e.Problems, p => p.Contains("trunc.png"));
        Assert.Contains(e.Problems, p => p.Contains("skip_unreadable"));
        Assert.Equal("4", skipped.Notes["unreadable_skipped"]);
        Assert.Contains("trunc.tif", skipped.Notes["unreadable_files"]);
        Assert.Equal(6, skipped.Train.Count + skipped.Tests[0].Images.Count);
    }

    [Fact]
    public void Mixed_channel_counts_are_a_clear_error()
    {
        using var temp = new TempFolder();
        WriteClassFolders(temp.Combine("data"), 2);
        TiffWriter.Write(temp.Combine("data", "b", "rgb.tif"), [new float[3 * 16 * 16]], 3, 16, 16);

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(new DataSpec(new FolderDataSpec("data", [], 0.5)), Tiny, temp.Path));

        Assert.Contains("different channel counts", e.Message);
        Assert.Contains("rgb.tif", e.Message);
    }

    [Fact]
    public void Tile_names_map_back_to_their_source_under_the_default_group_pattern()
    {
        var regex = new System.Text.RegularExpressions.Regex(FolderDataSpec.DefaultGroupPattern);

        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100_-108.png", regex));
        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100.png", regex));
        Assert.Equal("C100", SourceGroupSplit.SourceOf(ImageTiler.TileName("C100", 2, 3, ".png"), regex));
        Assert.Equal("C100", SourceGroupSplit.SourceOf("C100_t2x3_-5.png", regex));
        Assert.Equal("field_7", SourceGroupSplit.SourceOf("field_7_t0x0.tif", regex));
    }

    [Fact]
    public void Tiling_a_folder_keeps_sixteen_bit_values_and_drops_duplicate_tiles_and_no_group_crosses_the_split()
    {
        using var temp = new TempFolder();
        for (var c = 0; c < 2; c++)
            for (var f = 0; f < 4; f++)
            {
                var p = new float[16 * 16];
                for (var i = 0; i < p.Length; i++) p[i] = (i * 7 + f * 13 + c * 100) % 3000 + 1;
                // The last row of tiles repeats the first: filler.
                for (var y = 12; y < 16; y++) Array.Copy(p, (y - 12) * 16, p, y * 16, 16);
                TiffWriter.Write(temp.Combine("fields", c == 0 ? "ctl" : "ko", $"F{f}.tif"), [p], 1, 16, 16);
            }

        var (written, duplicates) = ImageTiler.TileFolder(temp.Combine("fields"), temp.Combine("tiles"), 4, 4);
        var tile = ImageDecoder.DecodeRaw(temp.Combine("tiles", "ctl", "F0_t0x1.tif"));
        var data = DatasetLoader.Load(new DataSpec(new FolderDataSpec("tiles", [], 0.25)), Tiny, temp.Path);

        Assert.Equal(8 * 12, written);
        Assert.Equal(8 * 4, duplicates);
        Assert.Equal((16, 4, 4), (tile.BitsPerSample, tile.Height, tile.Width));
        Assert.Equal(29f, tile.Pixels[0]);
        Assert.Empty(data.Train.Groups.Intersect(data.Tests[0].Images.Groups));
        Assert.Equal(8, data.Train.Groups.Concat(data.Tests[0].Images.Groups).Distinct().Count());
        Assert.False(data.Notes.ContainsKey("leak_warning"));
        Assert.Contains("ctl/F0", data.Notes["train_group_list"] + "," + data.Notes["test_test_group_list"]);
    }

    [Fact]
    public void Rotation_really_rotates_with_the_stated_fill()
    {
        var image = new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

        var quarter = ImageRotation.Rotate(image, 1, 3, 3, 90, "constant");
        var none = ImageRotation.Rotate(image, 1, 3, 3, 0);
        var shifted = ImageRotation.Transform(image, 1, 3, 3, 0, 0, 1, "constant");
        var shiftedNearest = ImageRotation.Transform(image, 1, 3, 3, 0, 0, 1, "nearest");
        var shiftedReflect = ImageRotation.Transform(image, 1, 3, 3, 0, 0, 1, "reflect");

        Assert.Equal(image, none);
        Assert.Equal([3f, 6, 9, 2, 5, 8, 1, 4, 7], quarter.Select(v => MathF.Round(v, 4)));
        Assert.Equal([0f, 1, 2, 0, 4, 5, 0, 7, 8], shifted);
        Assert.Equal([1f, 1, 2, 4, 4, 5, 7, 7, 8], shiftedNearest);
        Assert.Equal([1f, 1, 2, 4, 4, 5, 7, 7, 8], shiftedReflect);
    }

    [Fact]
    public void Rotate_command_writes_rotated_copies_named_by_angle()
    {
        using var temp = new TempFolder();
        var p = new float[3 * 9 * 9];
        p[4] = 1; // a dot at the top centre
        PngWriter.Write(temp.Combine("in", "a", "C1.png"), p, 3, 9, 9);

        var written = ImageRotation.RotateFolder(temp.Combine("in"), temp.Combine("out"), [-5, 90]);
        var turned = ImageDecoder.Decode(temp.Combine("out", "a", "C1_90.png"));

        Assert.Equal(2, written);
        Assert.True(File.Exists(temp.Combine("out", "a", "C1_-5.png")));
        Assert.Equal(1f, turned.Pixels[4 * 9 + 0], 2); // top centre turned counter-clockwise to the left centre
    }

    [Fact]
    public void Augmentation_is_a_pure_function_of_seed_and_epoch()
    {
        var images = new LabeledImages(Enumerable.Range(0, 4 * 64).Select(i => (i % 17) / 17f).ToArray(), [0, 1, 0, 1], 1, 8, 8, ["a", "b", "c", "d"], ["a", "b", "c", "d"]);
        var spec = new AugmentSpec(RotateDegrees: 5, Flip: true, ShiftPixels: 2);

        var a = Augmentation.Apply(images, spec, seed: 3, epoch: 1);
        var b = Augmentation.Apply(images, spec, seed: 3, epoch: 1);
        var c = Augmentation.Apply(images, spec, seed: 3, epoch: 2);
        var d = Augmentation.Apply(images, spec, seed: 4, epoch: 1);

        Assert.Equal(a.Pixels, b.Pixels);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.NotEqual(a.Pixels, d.Pixels);
        Assert.NotEqual(images.Pixels, a.Pixels);
        Assert.Equal(images.Labels, a.Labels);
        Assert.Same(images, Augmentation.Apply(images, new AugmentSpec(), 3, 1));
    }

    [Fact]
    public void A_test_folder_sharing_a_group_or_identical_content_with_training_gives_a_leak_warning()
    {
        using var temp = new TempFolder();
        WriteClassFolders(temp.Combine("train"), 3);
        WriteClassFolders(temp.Combine("other"), 3);
        foreach (var f in Directory.GetFiles(temp.Combine("other"), "*", SearchOption.AllDirectories))
            File.Move(f, Path.Combine(Path.GetDirectoryName(f)!, "T" + Path.GetFileName(f)));
        File.Copy(temp.Combine("train", "a", "S1.tif"), temp.Combine("other", "a", "copy.tif"));
        File.Copy(temp.Combine("train", "b", "S2.tif"), temp.Combine("other", "b", "S2_-5.tif"));
        var spec = new DataSpec(new FolderDataSpec("train", [new NamedPath("t2", "other")], null));

        var data = DatasetLoader.Load(spec, Tiny, temp.Path);

        Assert.Contains("share 1 source group(s): b/S2", data.Notes["leak_warning"]);
        Assert.Contains("identical to training images", data.Notes["leak_warning"]);
        Assert.Contains("a/copy.tif = train a/S1.tif", data.Notes["leak_warning"]);
        Assert.Contains("a/TS0", data.Notes["test_t2_group_list"]);
    }

    [Fact]
    public void Inspect_reports_classes_depths_phantoms_unreadable_and_duplicates_across_folders()
    {
        using var temp = new TempFolder();
        WriteClassFolders(temp.Combine("one"), 2);
        Directory.CreateDirectory(temp.Combine("two", "a"));
        Directory.CreateDirectory(temp.Combine("two", "empty"));
        File.Copy(temp.Combine("one", "a", "S0.tif"), temp.Combine("two", "a", "dup.tif"));
        File.WriteAllText(temp.Combine("one", "a", "._S0.tif"), "x");
        File.WriteAllText(temp.Combine("one", ".DS_Store"), "x");
        File.WriteAllBytes(temp.Combine("two", "a", "bad.tif"), [1, 2, 3]);

        var report = DataInspector.Inspect([temp.Combine("one"), temp.Combine("two")]);

        Assert.Equal(["a", "b"], report.Folders[0].ClassNames);
        Assert.Equal([2, 2], report.Folders[0].CountPerClass);
        Assert.Equal(2, report.Folders[0].Phantom.Count);
        Assert.Single(report.Folders[1].Unreadable);
        Assert.Contains(report.Folders[1].Problems, p => p.Contains("empty"));
        Assert.Equal(5, report.BitDepths["16-bit (12 effective)"]);
        Assert.Equal(5, report.Sizes["16x16"]);
        var set = Assert.Single(report.Duplicates);
        Assert.Equal(2, set.Count);
    }
}
