using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Prepares a condition's data once, identically for every seed: synthetic cells, class-per-folder images, IDX files
/// (MNIST, Fashion-MNIST), CIFAR-10 batches or cell montages, decoded, rescaled, resized and reduced to the colour
/// mode, with a fingerprint and notes for run.yaml. With a <see cref="DatasetDiskCache"/>, a data set prepared once
/// is read back from disk by every later run and process.
/// </summary>
/// <remarks>
/// <para>The fingerprint is the SHA-256 (hex) of the source contents (every file's relative path and bytes under the
/// data folders, the IDX or CIFAR files, or the synthetic preset, counts, data seed, size and generator version), every
/// preprocessing parameter (height, width, colour mode and its reduction, rescale, resize filter, TIFF page, group
/// pattern, test fraction, split seed, test names, skip_unreadable) and <see cref="PreparationVersion"/>.
/// <see cref="DataSpec.TrainSubset"/> and <see cref="DataSpec.Augment"/> are not part of it: subsets and augmentation
/// are drawn per seed from the prepared data.</para>
/// <para>Notes always record the source groups of each side (<c>train_group_list</c>, <c>test_NAME_group_list</c>) and,
/// when a test set shares a source group or an image of identical content (SHA-256 of the prepared pixels) with the
/// training set, a <c>leak_warning</c> saying which.</para>
/// </remarks>
public static class DatasetLoader
{
    /// <summary>The seed of every fraction split: the split must not depend on the training seed.</summary>
    public const int SplitSeed = 0;

    /// <summary>Version of the preparation code; part of every fingerprint, so a change of the code invalidates cached data sets.</summary>
    public const string PreparationVersion = "prep-4";

    /// <summary>Groups listed in full in the notes; longer lists are cut, with a hash of the whole list.</summary>
    public const int GroupsListed = 2000;

    /// <summary>Loads a condition's data; relative paths resolve against <paramref name="specDirectory"/>. With a cache, reads it from there when present and stores it after preparing.</summary>
    public static PreparedDataset Load(DataSpec data, ImageSpec image, string specDirectory, DatasetDiskCache? cache = null)
    {
        if (data.SourceCount != 1)
            throw new ArgumentException("A data spec needs exactly one source: synthetic, folders, idx, cifar10 or montage.", nameof(data));
        ImagePreprocessing.Validate(image);
        if (data.Cifar10 is { } cifar) Cifar10Reader.EnsureBatches(Resolve(specDirectory, cifar.Root), cifar.Download);
        // Folder structure (missing folders, empty classes, class mismatches) is checked before the cache is asked:
        // a cached data set must never hide a folder that has since become unusable.
        (ImageFolderListing Train, List<(string Name, ImageFolderListing Listing)> Tests)? listings = data.Folders is { } f ? ListFolders(f, specDirectory) : null;
        var fingerprint = Fingerprint(data, image, specDirectory);
        if (cache?.TryRead(fingerprint) is { } cached) return cached;
        var prepared = data switch
        {
            { Synthetic: { } synthetic } => LoadSynthetic(synthetic, image),
            { Folders: { } folders } => LoadFolders(folders, listings!.Value, image, data.SkipUnreadable),
            { Idx: { } idx } => LoadIdx(idx, image, specDirectory),
            { Cifar10: { } c } => LoadCifar10(c, image, specDirectory),
            _ => LoadMontage(data.Montage!, image, specDirectory),
        };
        var notes = new SortedDictionary<string, string>(prepared.Notes.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
        RecordGroupsAndLeaks(notes, prepared.Train, prepared.Tests);
        // After the leak check (which compares prepared pixels) and before the cache: the cache holds the scaled images.
        prepared = InputNormalization.Apply(prepared with { Notes = notes }, image.Normalization) with { Fingerprint = fingerprint };
        cache?.Write(prepared);
        return prepared;
    }

    /// <summary>The fingerprint of the data set <see cref="Load"/> would prepare (see the remarks), computed without decoding any image.</summary>
    public static string Fingerprint(DataSpec data, ImageSpec image, string specDirectory)
    {
        var fp = new Fingerprint();
        fp.Add(PreparationVersion, data.SkipUnreadable ? "skip_unreadable" : "strict");
        fp.Add(image);
        switch (data)
        {
            case { Synthetic: { } spec }:
                fp.Add("synthetic", SyntheticCells.GeneratorVersion, spec.Preset, Invariant(spec.TrainPerClass), Invariant(spec.TestPerClass), Invariant(spec.DataSeed), Invariant(spec.Size));
                if (spec.Fields is { } f)
                {
                    fp.Add("fields", SyntheticFields.GeneratorVersion, Invariant(f.Train), Invariant(f.Test), Invariant(f.TestSets), Invariant(f.Grid), Invariant(f.RotationStep));
                    if (f.CopiesAreIdentical) fp.Add("fields.copies", f.Copies); // rotated copies keep the fingerprints (and RunIds) they had
                }
                break;
            case { Folders: { } spec }:
                fp.Add("folders", spec.GroupPattern, spec.TestFraction?.ToString("R", CultureInfo.InvariantCulture) ?? "none", Invariant(SplitSeed));
                fp.AddTree("train", Resolve(specDirectory, spec.Train));
                foreach (var t in spec.Tests) fp.AddTree(t.Name, Resolve(specDirectory, t.Path));
                break;
            case { Idx: { } spec }:
                fp.Add("idx", spec.Dataset ?? "", spec.TrainCount is { } n ? Invariant(n) : "all");
                foreach (var file in IdxFiles(spec, specDirectory)) fp.AddFile(file);
                break;
            case { Cifar10: { } spec }:
            {
                fp.Add("cifar10", spec.TrainCount is { } tc ? Invariant(tc) : "all", spec.TestCount is { } sc ? Invariant(sc) : "all");
                var batches = Cifar10Reader.FindBatches(Resolve(specDirectory, spec.Root)) ?? throw new DataException($"CIFAR-10 batches not found under {Resolve(specDirectory, spec.Root)}.");
                foreach (var file in Cifar10Reader.TrainBatches.Append(Cifar10Reader.TestBatch)) fp.AddFile(Path.Combine(batches, file));
                break;
            }
            case { Montage: { } spec }:
                fp.Add("montage", Invariant(spec.Tile), string.Join(",", spec.Channels), spec.TestFraction.ToString("R", CultureInfo.InvariantCulture),
                    spec.DropDuplicates ? "dedup" : "keep", spec.MaxPerClass is { } max ? Invariant(max) : "all", Invariant(SplitSeed));
                foreach (var c in spec.Classes.OrderBy(c => c.Name, StringComparer.Ordinal))
                    fp.AddTree(c.Name, Path.Combine(Resolve(specDirectory, spec.Root), c.Path));
                break;
            default:
                throw new ArgumentException("A data spec needs exactly one source.", nameof(data));
        }
        return fp.Hex();
    }

    private static PreparedDataset LoadSynthetic(SyntheticDataSpec spec, ImageSpec image)
    {
        if (spec.Fields is not null)
        {
            var (splits, fieldNotes) = SyntheticFields.Generate(spec, image);
            var preset = SyntheticPreset.Get(spec.Preset);
            return new PreparedDataset(preset.ClassNames, splits[0].Images, splits.Skip(1).Select(t => new NamedImages(t.Name, t.Images)).ToArray(),
                "", fieldNotes, preset.BayesOptimalAccuracy());
        }
        if (spec.TrainPerClass < 0 || spec.TestPerClass < 0) throw new ArgumentException("Synthetic image counts must not be negative.");
        var cells = new SyntheticCells(spec.Preset, spec.Size);
        var train = cells.Generate("train", spec.TrainPerClass, spec.DataSeed, image);
        var test = cells.Generate("test", spec.TestPerClass, spec.DataSeed, image);
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
        return new PreparedDataset(cells.Preset.ClassNames, train, [new NamedImages("test", test)], "", notes, bayes);
    }

    private static (ImageFolderListing Train, List<(string Name, ImageFolderListing Listing)> Tests) ListFolders(FolderDataSpec spec, string specDirectory)
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
        return (train, testListings);
    }

    private static PreparedDataset LoadFolders(FolderDataSpec spec, (ImageFolderListing Train, List<(string Name, ImageFolderListing Listing)> Tests) listings, ImageSpec image, bool skipUnreadable)
    {
        var (train, testListings) = listings;
        var problems = new List<string>();
        LabeledImages? trainImages = null;
        var tests = new List<NamedImages>();
        var skipped = new List<string>();
        try
        {
            var read = ImageFolderReader.ReadAll(train.Files, image, skipUnreadable);
            trainImages = read.Images;
            skipped.AddRange(read.Skipped);
        }
        catch (DataException e)
        {
            problems.AddRange(e.Problems);
        }
        foreach (var (name, listing) in testListings)
        {
            try
            {
                var read = ImageFolderReader.ReadAll(listing.Files, image, skipUnreadable);
                tests.Add(new NamedImages(name, read.Images));
                skipped.AddRange(read.Skipped);
            }
            catch (DataException e)
            {
                problems.AddRange(e.Problems);
            }
        }
        if (problems.Count > 0 || trainImages is null) throw new DataException(problems);
        foreach (var set in tests.Select(t => (Name: t.Name, Images: t.Images)).Prepend((Name: "train", Images: trainImages)))
        {
            var empty = train.ClassNames.Where((_, c) => !set.Images.Labels.Contains(c)).ToArray();
            if (empty.Length > 0) problems.Add($"After skipping unreadable files, {set.Name} has no image of class(es) {string.Join(", ", empty)}.");
        }
        if (problems.Count > 0) throw new DataException(problems);

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
        notes["unreadable_skipped"] = Invariant(skipped.Count);
        if (skipped.Count > 0) notes["unreadable_files"] = string.Join("; ", skipped.Take(50)) + (skipped.Count > 50 ? $"; ... ({skipped.Count - 50} more)" : "");

        if (spec.TestFraction is { } fraction)
        {
            var split = SourceGroupSplit.Split(trainImages.Labels, trainImages.Groups, fraction, SplitSeed);
            var all = trainImages;
            trainImages = LabeledImagesSelection.Select(all, split.Train);
            tests.Insert(0, new NamedImages("test", LabeledImagesSelection.Select(all, split.Test)));
            CheckSplitCoversEveryClass(all, split, classes, fraction, "folders.test_fraction", "or give test folders (data.folders.tests)");
            notes["test_fraction"] = fraction.ToString("R", CultureInfo.InvariantCulture);
            notes["split_seed"] = Invariant(SplitSeed);
            notes["train_groups"] = Invariant(split.TrainGroups);
            notes["test_groups"] = Invariant(split.TestGroups);
        }
        foreach (var named in spec.Tests) notes[$"test_{named.Name}_folder"] = testListings.First(t => t.Name == named.Name).Listing.Root;
        AddCounts(notes, "train", trainImages, classes);
        foreach (var t in tests) AddCounts(notes, $"test_{t.Name}", t.Images, classes);

        return new PreparedDataset(classes, trainImages, tests, "", notes, null);
    }

    /// <summary>
    /// A fraction split keeps each source group whole, so a class with few groups can end up with no test image (its
    /// accuracy then silently drops out of the test score) or no training image. Either is an error naming the
    /// class and what to change, never a note.
    /// </summary>
    private static void CheckSplitCoversEveryClass(LabeledImages all, SourceGroupSplitResult split, IReadOnlyList<string> classes, double fraction, string key, string alternative)
    {
        var problems = new List<string>();
        var fractionText = fraction.ToString("R", CultureInfo.InvariantCulture);
        for (var c = 0; c < classes.Count; c++)
        {
            var members = Enumerable.Range(0, all.Count).Where(i => all.Labels[i] == c).ToArray();
            if (members.Length == 0) continue;
            var groups = members.Select(i => all.Groups[i]).Distinct().Count();
            var inTest = split.Test.Count(i => all.Labels[i] == c);
            var side = inTest == 0 ? "no test image" : inTest == members.Length ? "no training image" : null;
            if (side is null) continue;
            problems.Add(
                $"{key} {fractionText} leaves class '{classes[c]}' with {side}: its {members.Length} image(s) come from {groups} source group(s), " +
                $"and a source group is never split. Add images from more sources to '{classes[c]}', change the test fraction, {alternative}.");
        }
        if (problems.Count > 0) throw new DataException(problems);
    }

    private static void AddCounts(IDictionary<string, string> notes, string prefix, LabeledImages images, IReadOnlyList<string> classes)
    {
        notes[$"{prefix}_count"] = Invariant(images.Count);
        notes[$"{prefix}_groups_count"] = Invariant(images.Groups.Distinct().Count());
        for (var c = 0; c < classes.Count; c++) notes[$"{prefix}_count_{classes[c]}"] = Invariant(images.Labels.Count(l => l == c));
    }

    /// <summary>A buffer length derived from data, checked; too large is a <see cref="DataException"/> saying what to shrink.</summary>
    internal static int DataBufferLength(string what, params long[] factors)
    {
        try
        {
            return ImageLimits.BufferLength(what, factors);
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"{e.Message}; use fewer or smaller images (image.height, image.width, train_count)");
        }
    }

    private static string Resolve(string specDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(specDirectory, path));

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The four IDX files of a spec (train images, train labels, test images, test labels), resolved.</summary>
    public static IReadOnlyList<string> IdxFiles(IdxDataSpec spec, string specDirectory)
    {
        string? folder = spec.Dataset is { } name && SpecLoader.KnownIdxDatasets.TryGetValue(name, out var f) ? f : null;
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

    private static PreparedDataset LoadIdx(IdxDataSpec spec, ImageSpec image, string specDirectory)
    {
        var files = IdxFiles(spec, specDirectory);
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

    private static PreparedDataset LoadCifar10(Cifar10DataSpec spec, ImageSpec image, string specDirectory)
    {
        var folder = Cifar10Reader.EnsureBatches(Resolve(specDirectory, spec.Root), spec.Download);
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

    /// <summary>8-bit planar images (N x C x H x W bytes) to prepared images; every image is its own source group.</summary>
    private static LabeledImages FromBytes(byte[] bytes, int[] labels, int count, int channels, int height, int width, string split, ImageSpec image)
    {
        var size = DataBufferLength($"{split} images", channels, height, width);
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[DataBufferLength($"prepared {split} images", count, imageSize)];
        var sources = new string[count];
        Parallel.For(0, count, i =>
        {
            var raw = new float[size];
            for (var k = 0; k < size; k++) raw[k] = bytes[(long)i * size + k];
            var rgb = ImageDecoder.ToRgb(raw, channels, height, width);
            ImageDecoder.Rescale(rgb, 255, image.Rescale);
            ImagePreprocessing.Prepare(rgb, height, width, image, pixels.AsSpan(i * imageSize, imageSize));
            sources[i] = FormattableString.Invariant($"{split}/{i:D5}");
        });
        return new LabeledImages(pixels, labels[..count], image.ColorMode.ChannelCount, image.Height, image.Width, sources, sources);
    }

    private static PreparedDataset LoadMontage(MontageDataSpec spec, ImageSpec image, string specDirectory)
    {
        var root = Resolve(specDirectory, spec.Root);
        var classes = spec.Classes.OrderBy(c => c.Name, StringComparer.Ordinal).ToArray();
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
        var n = perClass.Sum(p => p.Cells.Count);
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[DataBufferLength("prepared montage cells", n, imageSize)];
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
        var all = new LabeledImages(pixels, labels, image.ColorMode.ChannelCount, image.Height, image.Width, sources, sources);
        var split = SourceGroupSplit.Split(all.Labels, all.Groups, spec.TestFraction, SplitSeed);
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
            ["split_seed"] = Invariant(SplitSeed),
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

    /// <summary>Records each side's source groups and warns (<c>leak_warning</c>) when a test set shares a group or identical content with training.</summary>
    internal static void RecordGroupsAndLeaks(IDictionary<string, string> notes, LabeledImages train, IReadOnlyList<NamedImages> tests)
    {
        notes["train_group_list"] = GroupList(train.Groups);
        var trainGroups = train.Groups.ToHashSet(StringComparer.Ordinal);
        var trainHashes = ContentHashes(train);
        var trainByHash = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < trainHashes.Length; i++) trainByHash.TryAdd(trainHashes[i], i);
        var warnings = new List<string>();
        foreach (var test in tests)
        {
            notes[$"test_{test.Name}_group_list"] = GroupList(test.Images.Groups);
            var shared = test.Images.Groups.Where(trainGroups.Contains).Distinct().Order(StringComparer.Ordinal).ToArray();
            if (shared.Length > 0)
                warnings.Add($"train and test '{test.Name}' share {shared.Length} source group(s): {string.Join(", ", shared.Take(10))}{(shared.Length > 10 ? ", ..." : "")}");
            var testHashes = ContentHashes(test.Images);
            var same = new List<string>();
            for (var i = 0; i < testHashes.Length; i++)
                if (trainByHash.TryGetValue(testHashes[i], out var j)) same.Add($"{test.Images.Sources[i]} = train {train.Sources[j]}");
            if (same.Count > 0)
                warnings.Add($"{same.Count} image(s) of test '{test.Name}' are identical to training images: {string.Join(", ", same.Take(10))}{(same.Count > 10 ? ", ..." : "")}");
        }
        if (warnings.Count > 0) notes["leak_warning"] = string.Join("; ", warnings);
    }

    private static string[] ContentHashes(LabeledImages images)
    {
        var hashes = new string[images.Count];
        var size = images.ImageSize;
        Parallel.For(0, images.Count, i => hashes[i] = ImageTiler.ContentHash(images.Pixels.AsSpan(i * size, size)));
        return hashes;
    }

    private static string GroupList(IReadOnlyList<string> groups)
    {
        var distinct = groups.Distinct().Order(StringComparer.Ordinal).ToArray();
        if (distinct.Length <= GroupsListed) return string.Join(",", distinct);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", distinct))))[..16];
        return string.Join(",", distinct.Take(GroupsListed)) + $",... ({distinct.Length} groups in all; sha256 of the full list {hash})";
    }
}
