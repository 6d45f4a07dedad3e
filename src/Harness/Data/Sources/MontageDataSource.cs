using System.Globalization;
using Harness.Specs;
using static Harness.Data.Sources.SourcePreparation;

namespace Harness.Data.Sources;

/// <summary>
/// <c>montage:</c> grids of single-cell tiles, one file per channel, one folder per class (imaging flow cytometry
/// exports; <see cref="MontageDataSpec"/>), every cell its own source group in a fraction split. The fingerprint holds
/// every file under the class folders.
/// </summary>
internal sealed class MontageDataSource : DataSource<MontageDataSpec>
{
    public override string Key => "montage";

    public override MontageDataSpec Read(SpecFields m, string at, string sourcePath)
    {
        string root = m.String("root", "", required: true) ?? "";
        m.CheckFolder("root", root, $"{at}.root", sourcePath);
        var classes = ReadClasses(m, at, root, sourcePath);
        int tile = m.Int("tile", 0, min: 1, required: true, max: SpecLimits.ImageSide);
        var channels = new List<string>();
        if (m.Node("channels", required: true) is { } chn)
        {
            if (chn is SpecSequence list && list.Items.Count > 0)
                channels.AddRange(list.Items.Select((n, i) => m.AsString(n, $"{at}.channels[{i}]") ?? ""));
            else if (chn is SpecScalar) channels.Add(m.AsString(chn, $"{at}.channels") ?? "");
            else m.Error(chn, $"{at}.channels", "expected a channel file prefix (Ch4) or a list of them ([Ch3, Ch4])");
            if (channels.Count > 3) m.Error(chn, $"{at}.channels", "at most three channels (they become R, G, B)");
            if (channels.Distinct().Count() != channels.Count) m.Error(chn, $"{at}.channels", "a channel is listed twice");
        }
        double fraction = m.Node("test_fraction", required: true) is { } fr ? m.AsDouble(fr, $"{at}.test_fraction", 0, 1, true, true) ?? 0.2 : 0.2;
        bool dropDuplicates = m.Bool("drop_duplicates", true);
        int? maxPerClass = m.Node("max_per_class") is { } mx ? m.AsInt(mx, $"{at}.max_per_class", min: 1) : null;
        m.Finish();
        return new MontageDataSpec(root, classes, tile, channels, fraction, dropDuplicates, maxPerClass);
    }

    private static List<NamedPath> ReadClasses(SpecFields m, string at, string root, string sourcePath)
    {
        var classes = new List<NamedPath>();
        if (m.Node("classes", required: true) is not { } cn || SpecFields.Of(cn, $"{at}.classes", m.Errors, cn.File) is not { } c) return classes;
        c.MarkAllRead();
        foreach (var (key, value) in c.Entries)
        {
            string folder = c.AsString(value, $"{at}.classes.{key.Value}") ?? "";
            if (folder.Length > 0 && root.Length > 0)
            {
                string resolved = Path.Combine(SpecPaths.Resolve(sourcePath, root), folder);
                if (!Directory.Exists(resolved)) c.Error(value, $"{at}.classes.{key.Value}", $"folder not found: {resolved}");
            }
            classes.Add(new NamedPath(key.Value, folder));
        }
        if (classes.Count < 2) m.Error(cn, $"{at}.classes", "at least two classes are needed");
        return classes;
    }

    public override void AddTo(Fingerprint fingerprint, MontageDataSpec spec, string specDirectory)
    {
        fingerprint.Add("montage", Invariant(spec.Tile), string.Join(",", spec.Channels), spec.TestFraction.ToString("R", CultureInfo.InvariantCulture),
            spec.DropDuplicates ? "dedup" : "keep", spec.MaxPerClass is { } max ? Invariant(max) : "all", Invariant(DatasetLoader.SplitSeed));
        foreach (var c in spec.Classes.OrderBy(c => c.Name, StringComparer.Ordinal))
            fingerprint.AddTree(c.Name, Path.Combine(Resolve(specDirectory, spec.Root), c.Path));
    }

    public override Func<PreparedDataset> Open(MontageDataSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable) =>
        () => Load(spec, image, specDirectory);

    public override (string Name, string Type, string Uri) Origin(MontageDataSpec spec) =>
        (Path.GetFileName(spec.Root.TrimEnd('/', '\\')), "local", spec.Root);

    private static PreparedDataset Load(MontageDataSpec spec, ImageSpec image, string specDirectory)
    {
        var root = Resolve(specDirectory, spec.Root);
        var classes = spec.Classes.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
        var perClass = ReadCells(spec, image, root, classes);
        var all = Prepare(spec, image, classes, perClass);
        var split = SourceGroupSplit.Split(all.Labels, all.Groups, spec.TestFraction, DatasetLoader.SplitSeed);
        var train = LabeledImagesSelection.Select(all, split.Train);
        var test = LabeledImagesSelection.Select(all, split.Test);
        var names = classes.Select(c => c.Name).ToArray();
        CheckSplitCoversEveryClass(all, split, names, spec.TestFraction, "montage.test_fraction", "or add montages of more sources");
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "montage",
            ["montage_root"] = root,
            ["classes"] = string.Join(",", names),
            ["montage_channels"] = string.Join(",", spec.Channels),
            ["montage_tile"] = Invariant(spec.Tile),
            ["test_fraction"] = spec.TestFraction.ToString("R", CultureInfo.InvariantCulture),
            ["split_seed"] = Invariant(DatasetLoader.SplitSeed),
        };
        for (var c = 0; c < classes.Length; c++)
        {
            notes[$"montage_folder_{names[c]}"] = classes[c].Path;
            notes[$"duplicate_tiles_dropped_{names[c]}"] = Invariant(perClass[c].Duplicates);
        }
        AddCounts(notes, "train", train, names);
        AddCounts(notes, "test_test", test, names);
        return new PreparedDataset(names, train, [new NamedImages("test", test)], "", notes, null);
    }

    /// <summary>Every class's cells; the problems of all classes are reported at once.</summary>
    private static (IReadOnlyList<float[]> Cells, IReadOnlyList<string> Ids, int Duplicates)[] ReadCells(MontageDataSpec spec, ImageSpec image, string root, NamedPath[] classes)
    {
        var problems = new List<string>();
        var perClass = new (IReadOnlyList<float[]> Cells, IReadOnlyList<string> Ids, int Duplicates)[classes.Length];
        for (var c = 0; c < classes.Length; c++)
        {
            try
            {
                perClass[c] = MontageReader.ReadClass(Path.Combine(root, classes[c].Path), spec, image);
            }
            catch (DataException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        if (problems.Count > 0) throw new DataException(problems);
        return perClass;
    }

    /// <summary>All cells of all classes, preprocessed to the image spec, labelled by class, each named CLASS/CELL as its own source group.</summary>
    private static LabeledImages Prepare(MontageDataSpec spec, ImageSpec image, NamedPath[] classes, (IReadOnlyList<float[]> Cells, IReadOnlyList<string> Ids, int Duplicates)[] perClass)
    {
        var n = perClass.Sum(p => p.Cells.Count);
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[DatasetLoader.DataBufferLength("prepared montage cells", n, imageSize)];
        var labels = new int[n];
        var sources = new string[n];
        var index = new List<(int Class, int Cell)>();
        for (var c = 0; c < classes.Length; c++)
            for (var k = 0; k < perClass[c].Cells.Count; k++) index.Add((c, k));
        Parallel.For(0, n, i =>
        {
            var (c, k) = index[i];
            var rgb = ImageDecoder.ToRgb(perClass[c].Cells[k], spec.Channels.Count, spec.Tile, spec.Tile);
            ImagePreprocessing.Prepare(rgb, spec.Tile, spec.Tile, image, pixels.AsSpan(i * imageSize, imageSize));
            labels[i] = c;
            sources[i] = classes[c].Name + "/" + perClass[c].Ids[k];
        });
        return new LabeledImages(pixels, labels, image.ColorMode.ChannelCount, image.Height, image.Width, sources, sources);
    }
}
