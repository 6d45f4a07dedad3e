using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Reads class-per-folder image directories. Classes are the subfolder names sorted ordinally (never the
/// directory listing order, which differs between machines). Phantom files that broke class discovery in the
/// original (<c>.DS_Store</c>, <c>._*</c>, any name starting with '.', <c>Thumbs.db</c>, <c>desktop.ini</c>),
/// files with non-image extensions, hidden folders and <c>__MACOSX</c> are ignored and counted. Files inside a
/// class folder (and its subfolders) are sorted ordinally by relative path.
/// </summary>
public static class ImageFolderReader
{
    private static readonly HashSet<string> PhantomNames = new(StringComparer.OrdinalIgnoreCase) { "Thumbs.db", "desktop.ini", "Icon\r" };

    /// <summary>True for a file name that is never an image of the data set (phantom or non-image extension).</summary>
    public static bool IsIgnoredFile(string fileName) =>
        fileName.StartsWith('.') || PhantomNames.Contains(fileName) || !ImageDecoder.ImageExtensions.Contains(Path.GetExtension(fileName).ToLowerInvariant());

    private static bool IsIgnoredFolder(string name) => name.StartsWith('.') || name == "__MACOSX";

    /// <summary>Lists a folder's classes and image files; a missing folder, no classes or an empty class is a <see cref="DataException"/>.</summary>
    public static ImageFolderListing List(string root, string groupPattern = FolderDataSpec.DefaultGroupPattern)
    {
        var fullRoot = Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot)) throw new DataException($"Image folder not found: {fullRoot}");
        var regex = new Regex(groupPattern, RegexOptions.CultureInvariant);
        var ignored = new List<string>();
        foreach (var file in Directory.EnumerateFiles(fullRoot)) ignored.Add(Path.GetFileName(file));
        var classes = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories(fullRoot))
        {
            var name = Path.GetFileName(dir);
            if (IsIgnoredFolder(name)) ignored.Add(name + "/");
            else classes.Add(name);
        }
        classes.Sort(StringComparer.Ordinal);
        if (classes.Count == 0) throw new DataException($"Image folder {fullRoot} has no class subfolders.");

        var problems = new List<string>();
        var files = new List<ImageFolderEntry>();
        for (var label = 0; label < classes.Count; label++)
        {
            var classDir = Path.Combine(fullRoot, classes[label]);
            var entries = new List<ImageFolderEntry>();
            var walk = FolderWalk.Files(classDir, fullRoot);
            foreach (var folder in walk.ImageNamedFolders)
                problems.Add($"{folder} is a folder named like an image file; rename it (or move its images up into {classDir}).");
            problems.AddRange(walk.UnreadableFolders.Select(u => $"Cannot list folder {u}"));
            ignored.AddRange(walk.SkippedLinks.Select(l => Path.GetRelativePath(fullRoot, l).Replace(Path.DirectorySeparatorChar, '/') + "/ (link to a folder already read; not followed)"));
            foreach (var file in walk.Files)
            {
                var relative = Path.GetRelativePath(fullRoot, file).Replace(Path.DirectorySeparatorChar, '/');
                var parts = relative.Split('/');
                if (parts.Take(parts.Length - 1).Any(IsIgnoredFolder) || IsIgnoredFile(parts[^1]))
                {
                    ignored.Add(relative);
                    continue;
                }
                var group = classes[label] + "/" + SourceGroupSplit.SourceOf(parts[^1], regex);
                entries.Add(new ImageFolderEntry(file, relative, label, group));
            }
            if (entries.Count == 0 && walk.ImageNamedFolders.Count == 0) problems.Add($"Class folder {classDir} holds no images; remove the folder or put the class's images in it.");
            entries.Sort((a, b) => StringComparer.Ordinal.Compare(a.RelativePath, b.RelativePath));
            files.AddRange(entries);
        }
        if (problems.Count > 0) throw new DataException(problems);
        ignored.Sort(StringComparer.Ordinal);
        return new ImageFolderListing(fullRoot, classes, files, ignored);
    }

    /// <summary>
    /// Decodes and preprocesses the given files (rescale, resize, colour mode). Every file that cannot be read is
    /// collected, with its path and reason, into one <see cref="DataException"/>.
    /// </summary>
    public static LabeledImages Read(IReadOnlyList<ImageFolderEntry> entries, ImageSpec image) => ReadAll(entries, image, skipUnreadable: false).Images;

    /// <summary>
    /// Decodes and preprocesses the given files. A file that cannot be read (empty, truncated, corrupt, unsupported)
    /// is, by default, an error listing every such file with its reason; with <paramref name="skipUnreadable"/> it is
    /// left out and reported in <see cref="ImageFolderRead.Skipped"/>. Files whose channel counts differ (grey mixed
    /// with colour) are always an error, listing the counts and an example file of each, since one colour mode
    /// cannot treat both alike.
    /// </summary>
    public static ImageFolderRead ReadAll(IReadOnlyList<ImageFolderEntry> entries, ImageSpec image, bool skipUnreadable)
    {
        ImagePreprocessing.Validate(image);
        var imageSize = image.ColorMode.ChannelCount * image.Height * image.Width;
        var pixels = new float[DatasetLoader.DataBufferLength("prepared images", entries.Count, imageSize)];
        var channels = new int[entries.Count];
        var problems = new ConcurrentBag<(int Index, string Reason)>();
        Parallel.For(0, entries.Count, i =>
        {
            var entry = entries[i];
            try
            {
                var raw = ImageDecoder.DecodeRaw(entry.FullPath, image.Page);
                channels[i] = raw.Channels;
                var rgb = ImageDecoder.ToRgb(raw.Pixels, raw.Channels, raw.Height, raw.Width);
                ImageDecoder.Rescale(rgb, (1 << raw.EffectiveBits) - 1, image.Rescale);
                ImagePreprocessing.Prepare(rgb, raw.Height, raw.Width, image, pixels.AsSpan(i * imageSize, imageSize));
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add((i, e.Message));
            }
        });
        var bad = problems.OrderBy(p => entries[p.Index].FullPath, StringComparer.Ordinal).ToArray();
        if (bad.Length > 0 && !skipUnreadable)
            throw new DataException(bad.Select((p, k) => $"Bad image {entries[p.Index].FullPath}: {p.Reason}" + (k == bad.Length - 1 ? " (set data.skip_unreadable: true to skip unreadable files; they are then counted in the run's notes)" : "")).ToArray());
        var badIndices = bad.Select(p => p.Index).ToHashSet();
        var keep = Enumerable.Range(0, entries.Count).Where(i => !badIndices.Contains(i)).ToArray();
        var counts = keep.GroupBy(i => channels[i]).OrderBy(g => g.Key).ToArray();
        if (counts.Length > 1)
        {
            throw new DataException(
                $"Images have different channel counts: {string.Join("; ", counts.Select(g => $"{g.Count()} file(s) with {g.Key} channel(s), e.g. {entries[g.First()].FullPath}"))}. " +
                "Convert them to one kind first (all grey or all colour).");
        }
        var all = new LabeledImages(
            pixels,
            entries.Select(e => e.Label).ToArray(),
            image.ColorMode.ChannelCount,
            image.Height,
            image.Width,
            entries.Select(e => e.RelativePath).ToArray(),
            entries.Select(e => e.Group).ToArray());
        var images = bad.Length == 0 ? all : LabeledImagesSelection.Select(all, keep);
        return new ImageFolderRead(images, bad.Select(p => $"{entries[p.Index].FullPath}: {p.Reason}").ToArray());
    }

    /// <summary>Lists and reads a whole folder.</summary>
    public static (ImageFolderListing Listing, LabeledImages Images) ReadFolder(string root, ImageSpec image, string groupPattern = FolderDataSpec.DefaultGroupPattern)
    {
        var listing = List(root, groupPattern);
        return (listing, Read(listing.Files, image));
    }
}
