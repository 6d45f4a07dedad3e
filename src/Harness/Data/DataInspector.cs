using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Harness.Data;

/// <summary>
/// Looks at image folders before any run: classes and counts, image sizes, bit depths, channel and page counts,
/// phantom files, unreadable files and exact duplicates (same bytes) within and across folders. Never throws for
/// bad data: everything found is reported in the <see cref="DataInspection"/>.
/// </summary>
public static class DataInspector
{
    /// <summary>Inspects each of <paramref name="roots"/> (class-per-folder directories).</summary>
    public static DataInspection Inspect(IReadOnlyList<string> roots)
    {
        var tally = new ImageTally();
        var folders = roots.Select(root => InspectFolder(Path.GetFullPath(root), tally)).ToArray();
        var duplicates = tally.Hashes.GroupBy(h => h.Hash)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Select(x => x.Path).Order(StringComparer.Ordinal).ToArray())
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToArray();
        return new DataInspection(
            folders,
            new SortedDictionary<string, int>(tally.Sizes, StringComparer.Ordinal),
            new SortedDictionary<string, int>(tally.Depths, StringComparer.Ordinal),
            new SortedDictionary<int, int>(tally.Channels),
            new SortedDictionary<int, int>(tally.Pages),
            duplicates);
    }

    /// <summary>What every folder's images add up to: sizes, bit depths, channel and page counts, and each file's hash.</summary>
    private sealed class ImageTally
    {
        public ConcurrentDictionary<string, int> Sizes { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<string, int> Depths { get; } = new(StringComparer.Ordinal);
        public ConcurrentDictionary<int, int> Channels { get; } = new();
        public ConcurrentDictionary<int, int> Pages { get; } = new();
        public ConcurrentBag<(string Hash, string Path)> Hashes { get; } = [];
    }

    private static FolderInspection InspectFolder(string root, ImageTally tally)
    {
        if (!Directory.Exists(root)) return new FolderInspection(root, [], [], [], [], [$"folder not found: {root}"]);
        var problems = new List<string>();
        var phantom = new List<string>();
        var classes = ClassFolders(root, phantom);
        if (classes.Count == 0) problems.Add($"no class subfolders in {root}");
        var (files, counts) = ImageFiles(root, classes, phantom, problems);
        var unreadable = ReadImages(files, tally);
        phantom.Sort(StringComparer.Ordinal);
        return new FolderInspection(root, classes, counts, phantom, unreadable, problems);
    }

    /// <summary>The class subfolders, sorted; files beside them and hidden or macOS folders are phantom entries.</summary>
    private static List<string> ClassFolders(string root, List<string> phantom)
    {
        var classes = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root)) phantom.Add(Path.GetFileName(file));
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(dir);
            if (name.StartsWith('.') || name == "__MACOSX") phantom.Add(name + "/");
            else classes.Add(name);
        }
        classes.Sort(StringComparer.Ordinal);
        return classes;
    }

    /// <summary>Each class's image files (with the class index) and their count per class; what is not an image is phantom.</summary>
    private static (List<(string Path, int Class)> Files, int[] Counts) ImageFiles(string root, List<string> classes, List<string> phantom, List<string> problems)
    {
        var files = new List<(string Path, int Class)>();
        var counts = new int[classes.Count];
        for (var c = 0; c < classes.Count; c++)
        {
            var walk = FolderWalk.Files(Path.Combine(root, classes[c]), root);
            problems.AddRange(walk.ImageNamedFolders.Select(f => $"{f} is a folder named like an image file"));
            problems.AddRange(walk.UnreadableFolders.Select(u => $"cannot list folder {u}"));
            phantom.AddRange(walk.SkippedLinks.Select(l => Path.GetRelativePath(root, l).Replace(Path.DirectorySeparatorChar, '/') + "/ (link to a folder already read; not followed)"));
            foreach (var file in walk.Files)
            {
                var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                var parts = relative.Split('/');
                if (parts.Take(parts.Length - 1).Any(p => p.StartsWith('.') || p == "__MACOSX") || ImageFolderReader.IsIgnoredFile(parts[^1]))
                {
                    phantom.Add(relative);
                    continue;
                }
                files.Add((file, c));
                counts[c]++;
            }
            if (counts[c] == 0) problems.Add($"class folder {classes[c]} holds no images");
        }
        return (files, counts);
    }

    /// <summary>Decodes and hashes every file in parallel into the tally; returns the unreadable ones as <c>path: reason</c>, sorted.</summary>
    private static string[] ReadImages(List<(string Path, int Class)> files, ImageTally tally)
    {
        var unreadable = new ConcurrentBag<string>();
        Parallel.ForEach(files, f =>
        {
            try
            {
                // Decoded first: the decoder's reasons (broken link, empty, too large) are clearer than a failed open.
                var raw = ImageDecoder.DecodeRaw(f.Path);
                using (var stream = File.OpenRead(f.Path)) tally.Hashes.Add((Convert.ToHexStringLower(SHA256.HashData(stream)), f.Path));
                tally.Sizes.AddOrUpdate($"{raw.Height}x{raw.Width}", 1, (_, n) => n + 1);
                var depth = raw.BitsPerSample == raw.EffectiveBits ? $"{raw.BitsPerSample}-bit" : $"{raw.BitsPerSample}-bit ({raw.EffectiveBits} effective)";
                tally.Depths.AddOrUpdate(depth, 1, (_, n) => n + 1);
                tally.Channels.AddOrUpdate(raw.Channels, 1, (_, n) => n + 1);
                tally.Pages.AddOrUpdate(raw.Pages, 1, (_, n) => n + 1);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                unreadable.Add($"{f.Path}: {e.Message}");
            }
        });
        return unreadable.Order(StringComparer.Ordinal).ToArray();
    }
}
