using Harness.Data;
using Harness.Specs;
using Xunit.Abstractions;

namespace Harness.Tests.Data;

public sealed class MontageAndSpecTests(ITestOutputHelper output)
{
    /// <summary>The shared data folder: ../shared/data beside the checkout (/work/shared/data here), or null.</summary>
    internal static string? SharedData()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "src", "Harness")))
            {
                var shared = Path.Combine(dir.Parent?.FullName ?? dir.FullName, "shared", "data");
                if (Directory.Exists(shared)) return shared;
                var work = Path.Combine(dir.Parent?.Parent?.FullName ?? dir.FullName, "shared", "data");
                return Directory.Exists(work) ? work : null;
            }
        }
        return null;
    }

    private static void WriteMontage(string folder, string id, int cells, int seed)
    {
        // A 3 x 3 grid of 4 x 4 cells; cells beyond `cells` repeat the first ones (filler).
        foreach (var (channel, offset) in new[] { ("Ch3", 500), ("Ch4", 0) })
        {
            var p = new float[12 * 12];
            for (var k = 0; k < 9; k++)
            {
                var cell = k < cells ? k : k % cells;
                for (var y = 0; y < 4; y++)
                    for (var x = 0; x < 4; x++)
                        p[(k / 3 * 4 + y) * 12 + k % 3 * 4 + x] = offset + (cell * 37 + y * 5 + x + seed * 101) % 1200;
            }
            TiffWriter.Write(Path.Combine(folder, $"{channel}_{id}.tif"), [p], 1, 12, 12);
        }
    }

    [Fact]
    public void Montages_become_cells_duplicates_dropped_channels_paired_and_cells_never_straddle_the_split()
    {
        using var temp = new TempFolder();
        WriteMontage(temp.Combine("m", "E1", "G1"), "CP0001", 6, 1);
        WriteMontage(temp.Combine("m", "E1", "G1"), "CP0002", 9, 2);
        WriteMontage(temp.Combine("m", "E1", "Pro"), "CP0001", 5, 3);
        var montage = new MontageDataSpec("m", [new NamedPath("Pro", "E1/Pro"), new NamedPath("G1", "E1/G1")], 4, ["Ch3", "Ch4"], 0.25);
        var image = new ImageSpec(4, 4, new ColorMode("channels", ["0", "1"]));

        var data = DatasetLoader.Load(new DataSpec(montage), image, temp.Path);
        var capped = DatasetLoader.Load(new DataSpec(montage with { MaxPerClass = 4 }), image, temp.Path);

        Assert.Equal(["G1", "Pro"], data.ClassNames);
        Assert.Equal(15 + 5, data.Train.Count + data.Tests[0].Images.Count);
        Assert.Equal("3", data.Notes["duplicate_tiles_dropped_G1"]);
        Assert.Equal("4", data.Notes["duplicate_tiles_dropped_Pro"]);
        Assert.Empty(data.Train.Groups.Intersect(data.Tests[0].Images.Groups));
        Assert.Contains("G1/CP0001_t0x0", data.Train.Groups.Concat(data.Tests[0].Images.Groups));
        Assert.Equal(2, data.Train.Channels);
        var first = data.Train.Sources.ToList().IndexOf(data.Train.Sources.First(s => s.StartsWith("G1/CP0001", StringComparison.Ordinal)));
        Assert.True(data.Train.Pixels[first * 32] >= 500 / 4095f - 1e-6f); // channel 0 is Ch3 (bright field offset 500), scaled as 12-bit
        Assert.Equal(8, capped.Train.Count + capped.Tests[0].Images.Count);
    }

    [Fact]
    public void New_data_keys_are_read_strictly()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Combine("m", "a"));
        Directory.CreateDirectory(temp.Combine("m", "b"));
        var path = temp.Combine("x.yaml");
        const string Head = "name: x\nepochs: 1\narchitecture: cifar-small\nimage: {size: 32, tiff_page: max}\nconditions:\n";

        var spec = SpecLoader.Parse(Head + """
              a:
                data:
                  montage: {root: m, classes: {a: a, b: b}, tile: 40, channels: [Ch4], test_fraction: 0.2, max_per_class: 10}
                  skip_unreadable: true
                  augment: {rotate_degrees: 5, flip: true, shift_pixels: 4, fill: nearest}
              c:
                data:
                  cifar10: {root: cifar, train_count: 5000, download: false}
              f:
                data:
                  idx: {dataset: fashion-mnist}
            """, path);
        var bad = Assert.Throws<SpecException>(() => SpecLoader.Parse(Head.Replace("max", "top") + """
              a:
                data:
                  cifar10: {root: c, train_count: 60000}
                  augment: {rotate: 5}
                  idx: {train_images: nope}
            """, path));

        var a = spec.Conditions[0].Data;
        Assert.Equal("max", spec.Image.TiffPage);
        Assert.True(a.SkipUnreadable);
        Assert.Equal(new AugmentSpec(5, true, 4, "nearest"), a.Augment);
        Assert.Equal(["Ch4"], Assert.IsType<MontageDataSpec>(a.Source).Channels);
        Assert.Equal(10, Assert.IsType<MontageDataSpec>(a.Source).MaxPerClass);
        Assert.Equal(5000, Assert.IsType<Cifar10DataSpec>(spec.Conditions[1].Data.Source).TrainCount);
        Assert.False(Assert.IsType<Cifar10DataSpec>(spec.Conditions[1].Data.Source).Download);
        Assert.Equal("fashion-mnist", Assert.IsType<IdxDataSpec>(spec.Conditions[2].Data.Source).Dataset);
        var messages = string.Join("\n", bad.Errors);
        Assert.Contains("image.tiff_page", messages);
        Assert.Contains("50,000", messages);
        Assert.Contains("augment.rotate: unknown key", messages);
        Assert.Contains("idx.train_labels: missing required key", messages);
        Assert.Contains("exactly one data source", messages);
    }

    [Fact]
    public void Existing_specs_keep_their_run_ids()
    {
        var run = new RunSpec("x", "c", new DataSpec(new SyntheticDataSpec("snf7-like", 1, 1)), null, "deep",
            new ImageSpec(32, 32, ColorMode.Rgb), 4, 20, new OptimizerSpec("adam", 0.001), InitScheme.Keras, "cpu", 1, 1, new Dictionary<string, string>(), "");

        var canonical = RunIds.Canonical(run);

        Assert.DoesNotContain("skip_unreadable", canonical);
        Assert.DoesNotContain("tiff_page", canonical);
        Assert.DoesNotContain("source_count", canonical);
    }

    [Fact]
    public void Published_experiment_specs_load()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "experiments"))) root = root.Parent;
        Assert.NotNull(root);
        var fmnist = SpecLoader.Load(Path.Combine(root.FullName, "experiments", "fashion_mnist.yaml"));
        var cifar = SpecLoader.Load(Path.Combine(root.FullName, "experiments", "cifar10_dropout.yaml"));

        Assert.Equal(["deep_fmnist", "alexnet_fmnist"], fmnist.Conditions.Select(c => c.Name));
        Assert.Equal(5000, Assert.IsType<Cifar10DataSpec>(cifar.Conditions.Single().Data.Source).TrainCount);
        if (Directory.Exists(Path.Combine(root.FullName, "..", "shared", "data", "jurkat-ifc")))
        {
            var jurkat = SpecLoader.Load(Path.Combine(root.FullName, "experiments", "jurkat_cell_cycle.yaml"));
            Assert.Equal(3, jurkat.Conditions.Count);
        }
        else output.WriteLine("jurkat_cell_cycle.yaml not checked: ../shared/data/jurkat-ifc is absent beside this checkout.");
    }

    [Fact]
    public void Jurkat_montages_give_real_cells_with_one_global_scale()
    {
        if (SharedData() is not { } shared || !Directory.Exists(Path.Combine(shared, "jurkat-ifc")))
        {
            output.WriteLine("Skipped: ../shared/data/jurkat-ifc is absent (see README, 'Real fluorescence cells').");
            return;
        }
        var montage = new MontageDataSpec(Path.Combine(shared, "jurkat-ifc"),
            [new NamedPath("G1", "Experiment_1/G1"), new NamedPath("Prophase", "Experiment_1/Prophase")], 40, ["Ch4"], 0.2);

        var data = DatasetLoader.Load(new DataSpec(montage), new ImageSpec(40, 40, ColorMode.Mono), "/");

        output.WriteLine(string.Join("\n", data.Notes.Where(n => !n.Key.EndsWith("group_list", StringComparison.Ordinal)).Select(n => $"{n.Key}: {n.Value}")));
        // DATA.md counts 606 Prophase cells; exact-duplicate dropping keeps 607 unique tiles (one filler tile is not an exact repeat).
        Assert.InRange(data.Train.Count + data.Tests[0].Images.Count, 900 + 606, 900 + 607);
        Assert.InRange(int.Parse(data.Notes["duplicate_tiles_dropped_Prophase"], System.Globalization.CultureInfo.InvariantCulture), 293, 294);
        Assert.True(data.Train.Pixels.Max() is > 0.2f and <= 1f);
        Assert.Empty(data.Train.Groups.Intersect(data.Tests[0].Images.Groups));
        Assert.False(data.Notes.ContainsKey("leak_warning"));
    }
}
