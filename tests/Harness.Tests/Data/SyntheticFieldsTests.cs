using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class SyntheticFieldsTests
{
    /// <summary>32-pixel tiles, 2 x 2 per field, 1 training and 1 test field per class, two test sets, rotated every 90 degrees.</summary>
    private static SyntheticDataSpec Small(string preset = "snap29-like")
    {
        var fields = new SyntheticFieldsSpec(Train: 1, Test: 1, TestSets: 2, Grid: 2, RotationStep: 90);
        return new SyntheticDataSpec(preset, fields.ImagesPerClass(1), fields.ImagesPerClass(1), DataSeed: 3, Size: 32, Fields: fields);
    }

    [Fact]
    public void The_published_recipe_gives_twenty_rotated_copies_named_like_the_published_files()
    {
        var recipe = new SyntheticFieldsSpec();
        Assert.Equal(20, recipe.Angles().Count);
        Assert.Equal(-180, recipe.Angles()[0]);
        Assert.Equal(162, recipe.Angles()[^1]);
        Assert.Equal(2 * 16 * 20, recipe.ImagesPerClass(recipe.Train));
    }

    [Fact]
    public void Splits_hold_every_tile_of_their_own_fields_in_every_rotation_as_8_bit_values()
    {
        var (splits, notes) = SyntheticFields.Generate(Small(), null);
        Assert.Equal(["train", "test", "test2"], splits.Select(s => s.Name));
        foreach (var split in splits)
        {
            var images = split.Images;
            Assert.Equal(2 * 4 * 4, images.Count); // 2 classes x 4 tiles x 4 angles
            Assert.Equal([16, 16], images.Labels.GroupBy(l => l).Select(g => g.Count()));
            Assert.All(images.Groups, g => Assert.StartsWith(split.Name + "-", g)); // test fields are not training fields
            Assert.All(images.Pixels, v => Assert.Equal(v, MathF.Round(v * 255f) * (float)(1.0 / 255)));
            Assert.Contains(images.Sources, s => s.EndsWith("_t1x0_-90", StringComparison.Ordinal));
        }
        Assert.Empty(splits[0].Images.Groups.Intersect(splits[1].Images.Groups));
        Assert.Equal("fields", notes["recipe"]);
        Assert.Equal("-180,-90,0,90", notes["rotation_angles"]);
    }

    [Fact]
    public void A_one_colour_preset_is_a_grey_micrograph_read_as_rgb()
    {
        var (splits, _) = SyntheticFields.Generate(Small("snf7-like"), null);
        var train = splits[0].Images;
        int plane = train.Height * train.Width;
        for (int i = 0; i < train.Count; i++)
        {
            var image = train.Pixels.AsSpan(i * train.ImageSize, train.ImageSize);
            Assert.True(image[..plane].SequenceEqual(image.Slice(plane, plane)));
            Assert.True(image.Slice(2 * plane, plane).SequenceEqual(image.Slice(plane, plane)));
        }
        Assert.Contains(train.Pixels, v => v > 0.5f);
    }

    [Fact]
    public void A_quarter_turn_copy_is_the_tile_turned_exactly()
    {
        var (splits, _) = SyntheticFields.Generate(Small(), null);
        var train = splits[0].Images;
        int Index(string suffix) => train.Sources.ToList().FindIndex(s => s.EndsWith(suffix, StringComparison.Ordinal));
        var upright = train.Pixels.AsSpan(Index("F00_t0x1_0") * train.ImageSize, train.ImageSize).ToArray();
        var turned = train.Pixels.AsSpan(Index("F00_t0x1_90") * train.ImageSize, train.ImageSize).ToArray();
        Assert.NotEqual(upright, turned);
        var expected = ImageRotation.Rotate(upright, 3, 32, 32, 90);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(MathF.Round(expected[i] * 255f) * (float)(1.0 / 255), turned[i], 1e-6f);
    }

    [Fact]
    public void Identical_copies_hold_the_unrotated_tile_under_every_angle_as_the_published_snippet_saved_it()
    {
        var rotatedSpec = Small();
        var identicalSpec = rotatedSpec with { Fields = rotatedSpec.Fields! with { Copies = SyntheticFieldsSpec.IdenticalCopies } };
        var (rotated, rotatedNotes) = SyntheticFields.Generate(rotatedSpec, null);
        var (identical, notes) = SyntheticFields.Generate(identicalSpec, null);
        Assert.Equal("identical", notes["copies"]);
        Assert.Equal("rotated", rotatedNotes["copies"]);
        for (int s = 0; s < identical.Count; s++)
        {
            var images = identical[s].Images;
            Assert.Equal(rotated[s].Images.Sources, images.Sources); // the same names, angle and all
            for (int i = 0; i < images.Count; i++)
            {
                string source = images.Sources[i];
                int upright = images.Sources.ToList().IndexOf(source[..source.LastIndexOf('_')] + "_0");
                Assert.True(images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize).SequenceEqual(images.Pixels.AsSpan(upright * images.ImageSize, images.ImageSize)), source);
                // The upright copy is the same tile in both kinds; only the turned copies differ.
                Assert.True(images.Pixels.AsSpan(upright * images.ImageSize, images.ImageSize).SequenceEqual(rotated[s].Images.Pixels.AsSpan(upright * images.ImageSize, images.ImageSize)));
            }
        }
        var image = new ImageSpec(32, 32, ColorMode.Rgb);
        Assert.NotEqual(DatasetLoader.Fingerprint(new DataSpec(rotatedSpec), image, "."), DatasetLoader.Fingerprint(new DataSpec(identicalSpec), image, "."));
    }

    [Fact]
    public void Data_synth_writes_what_a_run_sees_value_for_value()
    {
        using var temp = new TempFolder();
        var spec = Small("snf7-like");
        var written = SyntheticFields.Export(spec, temp.Path);
        Assert.Equal(new Dictionary<string, int> { ["test"] = 32, ["test2"] = 32, ["train"] = 32 }, written);

        var image = new ImageSpec(32, 32, ColorMode.Rgb);
        var synthetic = DatasetLoader.Load(new DataSpec(spec), image, temp.Path);
        var folders = DatasetLoader.Load(new DataSpec(new FolderDataSpec(Path.Combine(temp.Path, "train"),
            [new NamedPath("test", Path.Combine(temp.Path, "test")), new NamedPath("test2", Path.Combine(temp.Path, "test2"))], null)), image, temp.Path);
        Assert.Equal(synthetic.ClassNames, folders.ClassNames);
        Assert.Equal(Sorted(synthetic.Train), Sorted(folders.Train));
        Assert.Equal(Sorted(synthetic.Tests[1].Images), Sorted(folders.Tests[1].Images));
        Assert.Equal(SyntheticPreset.Snf7Like.BayesOptimalAccuracy(), synthetic.BayesOptimalAccuracy);
    }

    /// <summary>Images as (label, pixels) in a content order, since the folder reader orders files by name.</summary>
    private static string[] Sorted(LabeledImages images) => Enumerable.Range(0, images.Count)
        .Select(i => images.Labels[i] + ":" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(images.Pixels.AsSpan(i * images.ImageSize, images.ImageSize)))))
        .Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_spec_without_counts_gets_the_published_recipe_and_mixing_both_is_an_error()
    {
        const string Yaml = """
            name: s
            epochs: 1
            architecture: deep
            conditions:
              a: {data: {synthetic: {preset: snf7-like}}}
            """;
        var fields = Assert.IsType<SyntheticDataSpec>(SpecLoader.Parse(Yaml, "e.yaml").Conditions[0].Data.Source);
        Assert.Equal(new SyntheticFieldsSpec(), fields.Fields);
        Assert.Equal(640, fields.TrainPerClass);
        Assert.Null(Assert.IsType<SyntheticDataSpec>(SpecLoader.Parse(Yaml.Replace("{preset: snf7-like}", "{preset: snf7-like, train_per_class: 4}"), "e.yaml").Conditions[0].Data.Source).Fields);
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(Yaml.Replace("{preset: snf7-like}", "{preset: snf7-like, train_per_class: 4, fields: {train: 1}}"), "e.yaml"));
        Assert.Contains("not both", Assert.Single(e.Errors).Message);
        var step = Assert.Throws<SpecException>(() => SpecLoader.Parse(Yaml.Replace("{preset: snf7-like}", "{preset: snf7-like, fields: {rotation_step: 7}}"), "e.yaml"));
        Assert.Equal("conditions.a.data.synthetic.fields.rotation_step", Assert.Single(step.Errors).KeyPath);
        var identical = Assert.IsType<SyntheticDataSpec>(SpecLoader.Parse(Yaml.Replace("{preset: snf7-like}", "{preset: snf7-like, fields: {copies: identical}}"), "e.yaml").Conditions[0].Data.Source).Fields!;
        Assert.True(identical.CopiesAreIdentical);
        var copies = Assert.Throws<SpecException>(() => SpecLoader.Parse(Yaml.Replace("{preset: snf7-like}", "{preset: snf7-like, fields: {copies: mirrored}}"), "e.yaml"));
        var error = Assert.Single(copies.Errors);
        Assert.Equal("conditions.a.data.synthetic.fields.copies", error.KeyPath);
        Assert.Contains("'mirrored'", error.Message);
        Assert.Contains("identical", error.Message);
    }
}
