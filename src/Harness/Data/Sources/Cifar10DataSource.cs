using Harness.Specs;
using static Harness.Data.Sources.SourcePreparation;

namespace Harness.Data.Sources;

/// <summary>
/// <c>cifar10:</c> the binary CIFAR-10 batches under a folder, downloaded there when missing (<see cref="Cifar10DataSpec"/>).
/// The fingerprint holds the six batch files' paths and contents.
/// </summary>
internal sealed class Cifar10DataSource : DataSource<Cifar10DataSpec>
{
    public override string Key => "cifar10";

    public override Cifar10DataSpec Read(SpecFields c, string at, string sourcePath)
    {
        string root = c.String("root", "", required: true) ?? "";
        int? trainCount = c.Node("train_count") is { } tc ? c.AsInt(tc, $"{at}.train_count", min: 1) : null;
        int? testCount = c.Node("test_count") is { } sc ? c.AsInt(sc, $"{at}.test_count", min: 1) : null;
        if (trainCount > 50000) c.Error(c.Node("train_count"), $"{at}.train_count", "CIFAR-10 has 50,000 training images");
        if (testCount > 10000) c.Error(c.Node("test_count"), $"{at}.test_count", "CIFAR-10 has 10,000 test images");
        bool download = c.Bool("download", true);
        c.Finish();
        return new Cifar10DataSpec(root, trainCount, testCount, download);
    }

    public override void AddTo(Fingerprint fingerprint, Cifar10DataSpec spec, string specDirectory)
    {
        fingerprint.Add("cifar10", spec.TrainCount is { } tc ? Invariant(tc) : "all", spec.TestCount is { } sc ? Invariant(sc) : "all");
        var batches = Cifar10Reader.FindBatches(Resolve(specDirectory, spec.Root)) ?? throw new DataException($"CIFAR-10 batches not found under {Resolve(specDirectory, spec.Root)}.");
        foreach (var file in Cifar10Reader.TrainBatches.Append(Cifar10Reader.TestBatch)) fingerprint.AddFile(Path.Combine(batches, file));
    }

    /// <summary>Missing batches are downloaded here, before the fingerprint (which reads them) and the cache.</summary>
    public override Func<PreparedDataset> Open(Cifar10DataSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable)
    {
        var folder = Cifar10Reader.EnsureBatches(Resolve(specDirectory, spec.Root), spec.Download);
        return () => Load(spec, folder, image);
    }

    public override (string Name, string Type, string Uri) Origin(Cifar10DataSpec spec) => ("cifar-10", "local", spec.Root);

    private static PreparedDataset Load(Cifar10DataSpec spec, string folder, ImageSpec image)
    {
        var classes = Cifar10Reader.ClassNamesIn(folder);
        var (trainPixels, trainLabels) = Cifar10Reader.ReadBatches(Cifar10Reader.TrainBatches.Select(b => Path.Combine(folder, b)).ToArray(), spec.TrainCount);
        var (testPixels, testLabels) = Cifar10Reader.ReadBatches([Path.Combine(folder, Cifar10Reader.TestBatch)], spec.TestCount);
        var train = FromBytes(trainPixels, trainLabels, trainLabels.Length, 3, 32, 32, "train", image);
        var test = FromBytes(testPixels, testLabels, testLabels.Length, 3, 32, 32, "test", image);
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "cifar10",
            ["cifar10_folder"] = folder,
            ["classes"] = string.Join(",", classes),
            ["selection"] = "the first train_count training and test_count test records, in file order",
        };
        AddCounts(notes, "train", train, classes);
        AddCounts(notes, "test_test", test, classes);
        return new PreparedDataset(classes, train, [new NamedImages("test", test)], "", notes, null);
    }
}
