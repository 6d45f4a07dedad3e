using System.Security.Cryptography;
using System.Text;
using Harness.Data.Sources;
using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Prepares a condition's data once, identically for every seed: its source (synthetic cells, class-per-folder images,
/// IDX files, CIFAR-10 batches, cell montages: the entries of <see cref="DataSources"/>) decoded, rescaled, resized and
/// reduced to the colour mode, with a fingerprint and notes for run.yaml. With a <see cref="DatasetDiskCache"/>, a data
/// set prepared once is read back from disk by every later run and process.
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
        var (source, spec) = SourceOf(data);
        ImagePreprocessing.Validate(image);
        var prepare = source.Open(spec, image, specDirectory, data.SkipUnreadable);
        var fingerprint = Fingerprint(data, image, specDirectory);
        if (cache?.TryRead(fingerprint) is { } cached) return cached;
        var prepared = prepare();
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
        var (source, spec) = SourceOf(data);
        var fp = new Fingerprint();
        fp.Add(PreparationVersion, data.SkipUnreadable ? "skip_unreadable" : "strict");
        fp.Add(image);
        source.AddTo(fp, spec, specDirectory);
        return fp.Hex();
    }

    private static (IDataSource Source, IDataSourceSpec Spec) SourceOf(DataSpec data) =>
        data.Source is { } spec
            ? (DataSources.Of(spec), spec)
            : throw new ArgumentException($"A data spec needs exactly one source: {DataSources.KeyList}.", nameof(data));

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
