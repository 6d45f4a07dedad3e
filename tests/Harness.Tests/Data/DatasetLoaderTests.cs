using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class DatasetLoaderTests
{
    private static readonly ImageSpec Small = new(16, 16, ColorMode.Rgb, ResizeFilter: "area");

    [Fact]
    public void Synthetic_data_has_train_and_test_sets_notes_and_a_stable_fingerprint()
    {
        var spec = new DataSpec(new SyntheticDataSpec("snf7-like", 4, 3, DataSeed: 2, Size: 32));

        var a = DatasetLoader.Load(spec, Small, "/nowhere");
        var b = DatasetLoader.Load(spec, Small, "/nowhere");
        var other = DatasetLoader.Load(spec with { Source = ((SyntheticDataSpec)spec.Source!) with { DataSeed = 3 } }, Small, "/nowhere");
        var mono = DatasetLoader.Load(spec, Small with { ColorMode = ColorMode.Mono }, "/nowhere");

        Assert.Equal(["control", "snf7"], a.ClassNames);
        Assert.Equal(8, a.Train.Count);
        Assert.Equal("test", Assert.Single(a.Tests).Name);
        Assert.Equal(6, a.Tests[0].Images.Count);
        Assert.Equal((3, 16, 16), (a.Train.Channels, a.Train.Height, a.Train.Width));
        Assert.Equal(1, mono.Train.Channels);
        Assert.Equal("snf7-like", a.Notes["preset"]);
        Assert.Equal("0.7035", a.Notes["bayes_optimal_accuracy"]);
        Assert.Equal(0.7035, a.BayesOptimalAccuracy!.Value, 3);
        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.Equal(64, a.Fingerprint.Length);
        Assert.NotEqual(a.Fingerprint, other.Fingerprint);
        Assert.NotEqual(a.Fingerprint, mono.Fingerprint);
        Assert.NotEqual(a.Train.Pixels, other.Train.Pixels);
    }

    [Fact]
    public void Folder_data_with_a_fraction_split_keeps_groups_apart_and_notes_phantoms()
    {
        using var temp = new TempFolder();
        var pixels = new SyntheticCells("snap29-like", 32).Render(0, 1);
        foreach (var cls in new[] { "snap29", "control" })
        {
            for (var source = 0; source < 5; source++)
            {
                PngWriter.Write(temp.Combine("data", cls, $"S{source}.png"), pixels, 3, 32, 32);
                PngWriter.Write(temp.Combine("data", cls, $"S{source}_-18.png"), pixels, 3, 32, 32);
            }
        }
        File.WriteAllText(temp.Combine("data", "control", ".DS_Store"), "x");
        var spec = new DataSpec(new FolderDataSpec("data", [], 0.2));

        var data = DatasetLoader.Load(spec, Small, temp.Path);

        Assert.Equal(["control", "snap29"], data.ClassNames);
        var test = Assert.Single(data.Tests).Images;
        Assert.Equal(16, data.Train.Count);
        Assert.Equal(4, test.Count);
        Assert.Empty(data.Train.Groups.Intersect(test.Groups));
        Assert.Equal("1", data.Notes["phantom_files_ignored"]);
        Assert.Equal("8", data.Notes["train_groups"]);
        Assert.Equal("2", data.Notes["test_groups"]);
        Assert.Equal("8", data.Notes["train_count_control"]);
        Assert.Null(data.BayesOptimalAccuracy);

        var before = data.Fingerprint;
        PngWriter.Write(temp.Combine("data", "control", "S0.png"), new float[3 * 32 * 32], 3, 32, 32);
        Assert.NotEqual(before, DatasetLoader.Load(spec, Small, temp.Path).Fingerprint);
    }

    [Fact]
    public void Named_test_folders_need_the_training_classes()
    {
        using var temp = new TempFolder();
        SyntheticImageExporter.Export("snf7-like", temp.Combine("train"), 2, size: 32);
        SyntheticImageExporter.Export("snf7-like", temp.Combine("good"), 1, seed: 1, size: 32);
        SyntheticImageExporter.Export("snap29-like", temp.Combine("bad"), 1, size: 32);

        var ok = DatasetLoader.Load(new DataSpec(new FolderDataSpec("train", [new NamedPath("snf7_2", temp.Combine("good"))], null)), Small, temp.Path);
        Assert.Equal("snf7_2", Assert.Single(ok.Tests).Name);
        Assert.Equal(2, ok.Tests[0].Images.Count);

        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(
            new DataSpec(new FolderDataSpec("train", [new NamedPath("good", "good"), new NamedPath("other", "bad")], null)), Small, temp.Path));
        var problem = Assert.Single(e.Problems);
        Assert.Contains("'other'", problem);
        Assert.Contains("snap29", problem);
    }

    [Fact]
    public void Missing_folders_are_all_reported()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<DataException>(() => DatasetLoader.Load(
            new DataSpec(new FolderDataSpec("nope", [new NamedPath("t", "nope2")], null)), Small, temp.Path));
        Assert.Equal(2, e.Problems.Count);
    }
}
