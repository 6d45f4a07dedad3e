using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Prepares a condition's data once, identically for every seed: synthetic cells or class-per-folder images,
/// decoded, rescaled, resized and reduced to the colour mode, with a fingerprint and notes for run.yaml.
/// </summary>
/// <remarks>
/// The fingerprint is the SHA-256 (hex) of the source contents (every file's relative path and bytes, or the
/// synthetic preset, counts, data seed, size and generator version) and every preprocessing parameter (height,
/// width, colour mode and its reduction, rescale, resize filter, group pattern, test fraction, split seed, test
/// names). <see cref="DataSpec.TrainSubset"/> is not part of it: subsets are drawn per seed from the prepared data.
/// </remarks>
public static class DatasetLoader
{
    /// <summary>The seed of every fraction split: the split must not depend on the training seed.</summary>
    public const int SplitSeed = 0;

    /// <summary>Loads a condition's data; relative folder paths resolve against <paramref name="specDirectory"/>.</summary>
    public static PreparedDataset Load(DataSpec data, ImageSpec image, string specDirectory)
    {
        if ((data.Synthetic is null) == (data.Folders is null))
            throw new ArgumentException("A data spec needs exactly one source: synthetic or folders.", nameof(data));
        ImagePreprocessing.Validate(image);
        return data.Synthetic is { } synthetic ? LoadSynthetic(synthetic, image) : LoadFolders(data.Folders!, image, specDirectory);
    }

    private static PreparedDataset LoadSynthetic(SyntheticDataSpec spec, ImageSpec image)
    {
        if (spec.TrainPerClass < 0 || spec.TestPerClass < 0) throw new ArgumentException("Synthetic image counts must not be negative.");
        var cells = new SyntheticCells(spec.Preset, spec.Size);
        var train = Render(cells, "train", spec.TrainPerClass, spec.DataSeed, image);
        var test = Render(cells, "test", spec.TestPerClass, spec.DataSeed, image);
        var bayes = cells.Preset.BayesOptimalAccuracy();
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "synthetic",
            ["preset"] = spec.Preset,
            ["classes"] = string.Join(",", cells.Preset.ClassNames),
            ["data_seed"] = Invariant(spec.DataSeed),
            ["synthetic_size"] = Invariant(spec.Size),
            ["train_count"] = Invariant(train.Count),
            ["test_count"] = Invariant(test.Count),
            ["train_per_class"] = Invariant(spec.TrainPerClass),
            ["test_per_class"] = Invariant(spec.TestPerClass),
            ["bayes_optimal_accuracy"] = bayes.ToString("0.0000", CultureInfo.InvariantCulture),
            ["generator"] = SyntheticCells.GeneratorVersion,
        };
        var fingerprint = new Fingerprint();
        fingerprint.Add("synthetic", SyntheticCells.GeneratorVersion, spec.Preset, Invariant(spec.TrainPerClass), Invariant(spec.TestPerClass), Invariant(spec.DataSeed), Invariant(spec.Size));
        fingerprint.Add(image);
        return new PreparedDataset(cells.Preset.ClassNames, train, [new NamedImages("test", test)], fingerprint.Hex(), notes, bayes);
    }

    private static LabeledImages Render(SyntheticCells cells, string split, int perClass, int dataSeed, ImageSpec image)
    {
        var n = cells.Preset.ClassNames.Count * perClass;
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[(long)n * imageSize];
        var labels = new int[n];
        var sources = new string[n];
        Parallel.For(0, n, i =>
        {
            var c = i / perClass;
            var k = i % perClass;
            labels[i] = c;
            sources[i] = SyntheticCells.SourceId(split, cells.Preset.ClassNames[c], k);
            var rgb = cells.Render(c, SyntheticCells.ImageSeed(dataSeed, split, c, k));
            ImagePreprocessing.Prepare(rgb, cells.Size, cells.Size, image, pixels.AsSpan(i * imageSize, imageSize));
        });
        return new LabeledImages(pixels, labels, image.ColorMode.ChannelCount, image.Height, image.Width, sources, sources);
    }

    private static PreparedDataset LoadFolders(FolderDataSpec spec, ImageSpec image, string specDirectory)
    {
        if (spec.Tests.Count == 0 && spec.TestFraction is null)
            throw new ArgumentException("A folder data spec needs test folders or a test fraction.");
        var problems = new List<string>();
        ImageFolderListing? train = null;
        try
        {
            train = ImageFolderReader.List(Resolve(specDirectory, spec.Train), spec.GroupPattern);
        }
        catch (DataException e)
        {
            problems.AddRange(e.Problems);
        }

        var testNames = (spec.TestFraction is null ? [] : new[] { "test" }).Concat(spec.Tests.Select(t => t.Name)).ToArray();
        foreach (var duplicate in testNames.GroupBy(n => n).Where(g => g.Count() > 1))
            problems.Add($"Test set name '{duplicate.Key}' is used twice.");

        var testListings = new List<(string Name, ImageFolderListing Listing)>();
        foreach (var named in spec.Tests)
        {
            try
            {
                var listing = ImageFolderReader.List(Resolve(specDirectory, named.Path), spec.GroupPattern);
                if (train is not null && !listing.ClassNames.SequenceEqual(train.ClassNames, StringComparer.Ordinal))
                {
                    problems.Add($"Test folder '{named.Name}' ({listing.Root}) has classes [{string.Join(", ", listing.ClassNames)}] " +
                                 $"but the training folder ({train.Root}) has [{string.Join(", ", train.ClassNames)}].");
                }
                testListings.Add((named.Name, listing));
            }
            catch (DataException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        if (problems.Count > 0 || train is null) throw new DataException(problems);

        LabeledImages? trainImages = null;
        var tests = new List<NamedImages>();
        try
        {
            trainImages = ImageFolderReader.Read(train.Files, image);
        }
        catch (DataException e)
        {
            problems.AddRange(e.Problems);
        }
        foreach (var (name, listing) in testListings)
        {
            try
            {
                tests.Add(new NamedImages(name, ImageFolderReader.Read(listing.Files, image)));
            }
            catch (DataException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        if (problems.Count > 0 || trainImages is null) throw new DataException(problems);

        var classes = train.ClassNames;
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "folders",
            ["train_folder"] = train.Root,
            ["classes"] = string.Join(",", classes),
            ["group_pattern"] = spec.GroupPattern,
        };
        var ignored = train.Ignored.Select(p => $"{train.Root}/{p}").Concat(testListings.SelectMany(t => t.Listing.Ignored.Select(p => $"{t.Listing.Root}/{p}"))).ToArray();
        notes["phantom_files_ignored"] = Invariant(ignored.Length);
        if (ignored.Length > 0) notes["phantom_files"] = string.Join("; ", ignored.Take(20)) + (ignored.Length > 20 ? $"; ... ({ignored.Length - 20} more)" : "");

        if (spec.TestFraction is { } fraction)
        {
            var split = SourceGroupSplit.Split(trainImages.Labels, trainImages.Groups, fraction, SplitSeed);
            var all = trainImages;
            trainImages = LabeledImagesSelection.Select(all, split.Train);
            tests.Insert(0, new NamedImages("test", LabeledImagesSelection.Select(all, split.Test)));
            notes["test_fraction"] = fraction.ToString("R", CultureInfo.InvariantCulture);
            notes["split_seed"] = Invariant(SplitSeed);
            notes["train_groups"] = Invariant(split.TrainGroups);
            notes["test_groups"] = Invariant(split.TestGroups);
        }
        foreach (var named in spec.Tests) notes[$"test_{named.Name}_folder"] = testListings.First(t => t.Name == named.Name).Listing.Root;
        AddCounts(notes, "train", trainImages, classes);
        foreach (var t in tests) AddCounts(notes, $"test_{t.Name}", t.Images, classes);

        var fingerprint = new Fingerprint();
        fingerprint.Add("folders", spec.GroupPattern, spec.TestFraction?.ToString("R", CultureInfo.InvariantCulture) ?? "none", Invariant(SplitSeed));
        fingerprint.AddFolder("train", train);
        foreach (var (name, listing) in testListings) fingerprint.AddFolder(name, listing);
        fingerprint.Add(image);
        return new PreparedDataset(classes, trainImages, tests, fingerprint.Hex(), notes, null);
    }

    private static void AddCounts(IDictionary<string, string> notes, string prefix, LabeledImages images, IReadOnlyList<string> classes)
    {
        notes[$"{prefix}_count"] = Invariant(images.Count);
        notes[$"{prefix}_groups_count"] = Invariant(images.Groups.Distinct().Count());
        for (var c = 0; c < classes.Count; c++) notes[$"{prefix}_count_{classes[c]}"] = Invariant(images.Labels.Count(l => l == c));
    }

    private static string Resolve(string specDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(specDirectory, path));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Fingerprint
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public void Add(params string[] parts)
        {
            foreach (var part in parts)
            {
                // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ.
                _hash.AppendData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{part.Length}:{part};")));
            }
        }

        public void Add(ImageSpec image) =>
            Add("image", Invariant(image.Height), Invariant(image.Width), image.ColorMode.Kind, string.Join(",", image.ColorMode.Channels),
                image.ColorMode.MonoReduction, image.Rescale, image.ResizeFilter);

        public void AddFolder(string name, ImageFolderListing listing)
        {
            Add("folder", name, Invariant(listing.Files.Count), string.Join(",", listing.ClassNames));
            foreach (var file in listing.Files)
            {
                Add(file.RelativePath);
                using var stream = File.OpenRead(file.FullPath);
                _hash.AppendData(SHA256.HashData(stream));
            }
        }

        public string Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());
    }
}
