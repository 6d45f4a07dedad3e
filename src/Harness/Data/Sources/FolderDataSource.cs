using System.Globalization;
using Harness.Specs;
using static Harness.Data.Sources.SourcePreparation;

namespace Harness.Data.Sources;

/// <summary>
/// <c>folders:</c> class-per-folder images: a training folder and named test folders with the same classes, or a
/// source-grouped fraction of the training folder held out (<see cref="FolderDataSpec"/>). The fingerprint holds every
/// file's path and contents, so a changed image is a different data set.
/// </summary>
internal sealed class FolderDataSource : DataSource<FolderDataSpec>
{
    public override string Key => "folders";

    public override bool AlwaysInRunJson => true;

    public override FolderDataSpec Read(SpecFields d, string at, string sourcePath)
    {
        string train = d.String("train", "", required: true) ?? "";
        d.CheckFolder("train", train, $"{at}.train", sourcePath);
        var tests = new List<NamedPath>();
        if (d.Node("tests") is { } tn && SpecFields.Of(tn, $"{at}.tests", d.Errors, tn.File) is { } t)
        {
            t.MarkAllRead();
            foreach (var (key, value) in t.Entries)
            {
                string folder = t.AsString(value, $"{at}.tests.{key.Value}") ?? "";
                t.CheckFolder(key.Value, folder, $"{at}.tests.{key.Value}", sourcePath);
                tests.Add(new NamedPath(key.Value, folder));
            }
        }
        double? fraction = d.Node("test_fraction") is { } fr ? d.AsDouble(fr, $"{at}.test_fraction", 0, 1, true, true) : null;
        if (tests.Count > 0 == fraction.HasValue)
            d.Error(d.At, at, "give either tests (named test folders) or test_fraction, exactly one");
        string pattern = d.String("group_pattern", FolderDataSpec.DefaultGroupPattern) ?? FolderDataSpec.DefaultGroupPattern;
        try { _ = new System.Text.RegularExpressions.Regex(pattern); }
        catch (ArgumentException e) { d.Error(d.Node("group_pattern"), $"{at}.group_pattern", $"not a valid regular expression: {e.Message}"); }
        d.Finish();
        return new FolderDataSpec(train, tests, fraction, pattern);
    }

    public override void AddTo(Fingerprint fingerprint, FolderDataSpec spec, string specDirectory)
    {
        fingerprint.Add("folders", spec.GroupPattern, spec.TestFraction?.ToString("R", CultureInfo.InvariantCulture) ?? "none", Invariant(DatasetLoader.SplitSeed));
        fingerprint.AddTree("train", Resolve(specDirectory, spec.Train));
        foreach (var t in spec.Tests) fingerprint.AddTree(t.Name, Resolve(specDirectory, t.Path));
    }

    /// <summary>Folder structure (missing folders, empty classes, class mismatches) is checked here, before the cache is asked.</summary>
    public override Func<PreparedDataset> Open(FolderDataSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable)
    {
        var listings = List(spec, specDirectory);
        return () => Load(spec, listings, image, skipUnreadable);
    }

    public override (string Name, string Type, string Uri) Origin(FolderDataSpec spec) =>
        (Path.GetFileName(spec.Train.TrimEnd('/', '\\')), "local", spec.Train);

    /// <summary>The training folder's listing and each named test folder's.</summary>
    private sealed record Listings(ImageFolderListing Train, IReadOnlyList<(string Name, ImageFolderListing Listing)> Tests);

    private static Listings List(FolderDataSpec spec, string specDirectory)
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
        return new Listings(train, testListings);
    }

    private static PreparedDataset Load(FolderDataSpec spec, Listings listings, ImageSpec image, bool skipUnreadable)
    {
        var (train, tests, skipped) = ReadImages(listings, image, skipUnreadable);
        var classes = listings.Train.ClassNames;
        var notes = Notes(spec, listings, skipped);
        if (spec.TestFraction is { } fraction)
        {
            (train, var heldOut) = SplitOffTestFraction(train, fraction, classes, notes);
            tests.Insert(0, heldOut);
        }
        foreach (var named in spec.Tests) notes[$"test_{named.Name}_folder"] = listings.Tests.First(t => t.Name == named.Name).Listing.Root;
        AddCounts(notes, "train", train, classes);
        foreach (var t in tests) AddCounts(notes, $"test_{t.Name}", t.Images, classes);
        return new PreparedDataset(classes, train, tests, "", notes, null);
    }

    /// <summary>Decodes every listed image; all unreadable files (unless skipped) and every class left empty by skipping are reported at once.</summary>
    private static (LabeledImages Train, List<NamedImages> Tests, List<string> Skipped) ReadImages(Listings listings, ImageSpec image, bool skipUnreadable)
    {
        var problems = new List<string>();
        var skipped = new List<string>();
        LabeledImages? Read(ImageFolderListing listing)
        {
            try
            {
                var read = ImageFolderReader.ReadAll(listing.Files, image, skipUnreadable);
                skipped.AddRange(read.Skipped);
                return read.Images;
            }
            catch (DataException e)
            {
                problems.AddRange(e.Problems);
                return null;
            }
        }
        var train = Read(listings.Train);
        var tests = new List<NamedImages>();
        foreach (var (name, listing) in listings.Tests)
            if (Read(listing) is { } images) tests.Add(new NamedImages(name, images));
        if (problems.Count > 0 || train is null) throw new DataException(problems);
        foreach (var set in tests.Select(t => (t.Name, t.Images)).Prepend((Name: "train", Images: train)))
        {
            var empty = listings.Train.ClassNames.Where((_, c) => !set.Images.Labels.Contains(c)).ToArray();
            if (empty.Length > 0) problems.Add($"After skipping unreadable files, {set.Name} has no image of class(es) {string.Join(", ", empty)}.");
        }
        if (problems.Count > 0) throw new DataException(problems);
        return (train, tests, skipped);
    }

    /// <summary>The folders, classes and group pattern, and the phantom and unreadable files left out (the first of them listed).</summary>
    private static SortedDictionary<string, string> Notes(FolderDataSpec spec, Listings listings, IReadOnlyList<string> skipped)
    {
        var train = listings.Train;
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "folders",
            ["train_folder"] = train.Root,
            ["classes"] = string.Join(",", train.ClassNames),
            ["group_pattern"] = spec.GroupPattern,
        };
        var ignored = train.Ignored.Select(p => $"{train.Root}/{p}").Concat(listings.Tests.SelectMany(t => t.Listing.Ignored.Select(p => $"{t.Listing.Root}/{p}"))).ToArray();
        notes["phantom_files_ignored"] = Invariant(ignored.Length);
        if (ignored.Length > 0) notes["phantom_files"] = string.Join("; ", ignored.Take(20)) + (ignored.Length > 20 ? $"; ... ({ignored.Length - 20} more)" : "");
        notes["unreadable_skipped"] = Invariant(skipped.Count);
        if (skipped.Count > 0) notes["unreadable_files"] = string.Join("; ", skipped.Take(50)) + (skipped.Count > 50 ? $"; ... ({skipped.Count - 50} more)" : "");
        return notes;
    }

    /// <summary>Holds out <paramref name="fraction"/> of the training folder's source groups as the test set <c>test</c>.</summary>
    private static (LabeledImages Train, NamedImages Test) SplitOffTestFraction(LabeledImages all, double fraction, IReadOnlyList<string> classes, IDictionary<string, string> notes)
    {
        var split = SourceGroupSplit.Split(all.Labels, all.Groups, fraction, DatasetLoader.SplitSeed);
        var train = LabeledImagesSelection.Select(all, split.Train);
        var test = new NamedImages("test", LabeledImagesSelection.Select(all, split.Test));
        CheckSplitCoversEveryClass(all, split, classes, fraction, "folders.test_fraction", "or give test folders (data.folders.tests)");
        notes["test_fraction"] = fraction.ToString("R", CultureInfo.InvariantCulture);
        notes["split_seed"] = Invariant(DatasetLoader.SplitSeed);
        notes["train_groups"] = Invariant(split.TrainGroups);
        notes["test_groups"] = Invariant(split.TestGroups);
        return (train, test);
    }
}
