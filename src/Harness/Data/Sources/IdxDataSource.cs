using System.Globalization;
using Harness.Specs;
using static Harness.Data.Sources.SourcePreparation;

namespace Harness.Data.Sources;

/// <summary>
/// <c>idx:</c> the MNIST file format (raw or gzipped), given as four files or as a known data set's name
/// (<see cref="IdxDataSpec"/>). The fingerprint holds the four files' paths and contents.
/// </summary>
internal sealed class IdxDataSource : DataSource<IdxDataSpec>
{
    /// <summary>Known IDX data sets: shorthand name → default folder (null: paths must be given).</summary>
    public static readonly IReadOnlyDictionary<string, string?> KnownDatasets = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["fashion-mnist"] = "/usr/share/datasets/fashion-mnist",
        ["mnist"] = null,
    };

    private static readonly string[] FileKeys = ["train_images", "train_labels", "test_images", "test_labels"];

    public override string Key => "idx";

    public override IdxDataSpec Read(SpecFields x, string at, string sourcePath)
    {
        string? dataset = x.String("dataset", null);
        if (dataset is not null && !KnownDatasets.ContainsKey(dataset))
        {
            x.Error(x.Node("dataset"), $"{at}.dataset", $"unknown data set '{dataset}'; known: {string.Join(", ", KnownDatasets.Keys)}");
            dataset = null;
        }
        bool hasDefaultFolder = dataset is not null && KnownDatasets[dataset] is not null;
        var files = new string?[4];
        for (int i = 0; i < FileKeys.Length; i++)
        {
            files[i] = x.String(FileKeys[i], null, required: !hasDefaultFolder);
            if (files[i] is { Length: > 0 } file && !File.Exists(SpecPaths.Resolve(sourcePath, file)))
                x.Error(x.Node(FileKeys[i]), $"{at}.{FileKeys[i]}", $"file not found: {SpecPaths.Resolve(sourcePath, file)}");
        }
        int? trainCount = x.Node("train_count") is { } tc ? x.AsInt(tc, $"{at}.train_count", min: 1) : null;
        x.Finish();
        return new IdxDataSpec(files[0], files[1], files[2], files[3], dataset, trainCount);
    }

    public override void AddTo(Fingerprint fingerprint, IdxDataSpec spec, string specDirectory)
    {
        fingerprint.Add("idx", spec.Dataset ?? "", spec.TrainCount is { } n ? Invariant(n) : "all");
        foreach (var file in Files(spec, specDirectory)) fingerprint.AddFile(file);
    }

    public override Func<PreparedDataset> Open(IdxDataSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable) =>
        () => Load(spec, image, specDirectory);

    public override (string Name, string Type, string Uri) Origin(IdxDataSpec spec) =>
        (spec.Dataset ?? Path.GetFileName(spec.TrainImages ?? "idx"), "local", spec.TrainImages ?? spec.Dataset ?? "idx");

    /// <summary>The four IDX files of a spec (train images, train labels, test images, test labels), resolved.</summary>
    public static IReadOnlyList<string> Files(IdxDataSpec spec, string specDirectory)
    {
        string? folder = spec.Dataset is { } name && KnownDatasets.TryGetValue(name, out var f) ? f : null;
        string[] stems = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        string?[] given = [spec.TrainImages, spec.TrainLabels, spec.TestImages, spec.TestLabels];
        var files = new string[4];
        for (var i = 0; i < 4; i++)
        {
            if (given[i] is { Length: > 0 } path) files[i] = Resolve(specDirectory, path);
            else if (folder is not null)
            {
                var gz = Path.Combine(folder, stems[i] + ".gz");
                files[i] = File.Exists(gz) ? gz : Path.Combine(folder, stems[i]);
            }
            else throw new ArgumentException("IDX data needs train_images, train_labels, test_images and test_labels, or a known dataset.");
        }
        var missing = files.Where(f => !File.Exists(f)).ToArray();
        if (missing.Length > 0)
        {
            var hint = spec.Dataset == "fashion-mnist" ? " (Debian/Ubuntu: apt-get install dataset-fashion-mnist)" : "";
            throw new DataException(missing.Select(m => $"IDX file not found: {m}{hint}").ToArray());
        }
        return files;
    }

    private static PreparedDataset Load(IdxDataSpec spec, ImageSpec image, string specDirectory)
    {
        var files = Files(spec, specDirectory);
        var (trainPixels, trainLabels, h, w) = IdxReader.ReadPair(files[0], files[1]);
        var (testPixels, testLabels, th, tw) = IdxReader.ReadPair(files[2], files[3]);
        if ((h, w) != (th, tw)) throw new DataException($"IDX training images are {h}x{w} but test images are {th}x{tw}.");
        var classCount = Math.Max(trainLabels.DefaultIfEmpty(0).Max(), testLabels.DefaultIfEmpty(0).Max()) + 1;
        IReadOnlyList<string> classes = spec.Dataset is { } name && IdxReader.ClassNames.TryGetValue(name, out var known) && known.Count >= classCount
            ? known
            : Enumerable.Range(0, classCount).Select(c => c.ToString("D" + Invariant(classCount - 1).Length, CultureInfo.InvariantCulture)).ToArray();
        var trainCount = Math.Min(trainLabels.Length, spec.TrainCount ?? int.MaxValue);
        var train = FromBytes(trainPixels, trainLabels, trainCount, 1, h, w, "train", image);
        var test = FromBytes(testPixels, testLabels, testLabels.Length, 1, h, w, "test", image);
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "idx",
            ["idx_files"] = string.Join(";", files),
            ["classes"] = string.Join(",", classes),
            ["idx_dataset"] = spec.Dataset ?? "",
        };
        AddCounts(notes, "train", train, classes);
        AddCounts(notes, "test_test", test, classes);
        return new PreparedDataset(classes, train, [new NamedImages("test", test)], "", notes, null);
    }
}
