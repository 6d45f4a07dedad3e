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
        var folders = new List<FolderInspection>();
        var sizes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var depths = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var channels = new ConcurrentDictionary<int, int>();
        var pages = new ConcurrentDictionary<int, int>();
        var hashes = new ConcurrentBag<(string Hash, string Path)>();
        foreach (var input in roots)
        {
            var root = Path.GetFullPath(input);
            var problems = new List<string>();
            var phantom = new List<string>();
            var classes = new List<string>();
            var files = new List<(string Path, int Class)>();
            if (!Directory.Exists(root))
            {
                folders.Add(new FolderInspection(root, [], [], [], [], [$"folder not found: {root}"]));
                continue;
            }
            foreach (var file in Directory.EnumerateFiles(root)) phantom.Add(Path.GetFileName(file));
            foreach (var dir in Directory.EnumerateDirectories(root))
            {
                var name = Path.GetFileName(dir);
                if (name.StartsWith('.') || name == "__MACOSX") phantom.Add(name + "/");
                else classes.Add(name);
            }
            classes.Sort(StringComparer.Ordinal);
            if (classes.Count == 0) problems.Add($"no class subfolders in {root}");
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
            var unreadable = new ConcurrentBag<string>();
            Parallel.ForEach(files, f =>
            {
                try
                {
                    // Decoded first: the decoder's reasons (broken link, empty, too large) are clearer than a failed open.
                    var raw = ImageDecoder.DecodeRaw(f.Path);
                    using (var stream = File.OpenRead(f.Path)) hashes.Add((Convert.ToHexStringLower(SHA256.HashData(stream)), f.Path));
                    sizes.AddOrUpdate($"{raw.Height}x{raw.Width}", 1, (_, n) => n + 1);
                    var depth = raw.BitsPerSample == raw.EffectiveBits ? $"{raw.BitsPerSample}-bit" : $"{raw.BitsPerSample}-bit ({raw.EffectiveBits} effective)";
                    depths.AddOrUpdate(depth, 1, (_, n) => n + 1);
                    channels.AddOrUpdate(raw.Channels, 1, (_, n) => n + 1);
                    pages.AddOrUpdate(raw.Pages, 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
                {
                    unreadable.Add($"{f.Path}: {e.Message}");
                }
            });
            phantom.Sort(StringComparer.Ordinal);
            folders.Add(new FolderInspection(root, classes, counts, phantom, unreadable.Order(StringComparer.Ordinal).ToArray(), problems));
        }
        var duplicates = hashes.GroupBy(h => h.Hash)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<string>)g.Select(x => x.Path).Order(StringComparer.Ordinal).ToArray())
            .OrderBy(g => g[0], StringComparer.Ordinal)
            .ToArray();
        return new DataInspection(
            folders,
            new SortedDictionary<string, int>(sizes, StringComparer.Ordinal),
            new SortedDictionary<string, int>(depths, StringComparer.Ordinal),
            new SortedDictionary<int, int>(channels),
            new SortedDictionary<int, int>(pages),
            duplicates);
    }
}
