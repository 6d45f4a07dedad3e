namespace Harness.Data;

/// <summary>
/// Lists the files under a folder the way every data reader must: a symbolic link back to an ancestor is not followed
/// and a folder reached twice (two links to one folder) is read once, since <see cref="Directory.EnumerateFiles(string, string, SearchOption)"/>
/// follows such links until the path grows too long (a loop of 8 images was counted as 648); and a folder named like
/// an image file (<c>cell.png/</c>) is reported, since it is almost always a mistake of an export or an unzip.
/// </summary>
internal static class FolderWalk
{
    /// <summary>What the walk found besides the files.</summary>
    /// <param name="Files">Absolute paths of the files, in no particular order (callers sort).</param>
    /// <param name="SkippedLinks">Folders not entered because their real path was already read (loops, duplicate links), absolute paths.</param>
    /// <param name="ImageNamedFolders">Folders whose name has an image extension, absolute paths.</param>
    /// <param name="UnreadableFolders">Folders that could not be listed (permissions), as <c>path: reason</c>.</param>
    internal sealed record Result(IReadOnlyList<string> Files, IReadOnlyList<string> SkippedLinks, IReadOnlyList<string> ImageNamedFolders, IReadOnlyList<string> UnreadableFolders);

    /// <summary>
    /// Every file under <paramref name="root"/>, each real folder entered once. With <paramref name="enclosing"/> (the
    /// data set's folder, when <paramref name="root"/> is one of its classes), a folder that is that folder or one of
    /// its ancestors is a loop too: a class linked to its own data set would hold every other class's images.
    /// </summary>
    public static Result Files(string root, string? enclosing = null)
    {
        var enclosingReal = enclosing is null ? null : RealPath(enclosing);
        var files = new List<string>();
        var skipped = new List<string>();
        var imageNamed = new List<string>();
        var unreadable = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<(string Folder, string? ParentReal)>();
        pending.Push((Path.GetFullPath(root), null));
        while (pending.Count > 0)
        {
            var (folder, parentReal) = pending.Pop();
            var real = RealPath(folder);
            // A link to an ancestor is a loop even on its first visit: following it once would file the ancestor's
            // images (another class's) under this folder.
            if (!visited.Add(real) || IsSameOrAncestor(real, parentReal) || IsSameOrAncestor(real, enclosingReal))
            {
                skipped.Add(folder);
                continue;
            }
            try
            {
                var here = Directory.GetFiles(folder);
                var subs = Directory.GetDirectories(folder);
                files.AddRange(here);
                foreach (var sub in subs)
                {
                    if (ImageDecoder.ImageExtensions.Contains(Path.GetExtension(sub).ToLowerInvariant())) imageNamed.Add(sub);
                    pending.Push((sub, real));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                unreadable.Add($"{folder}: {e.Message}");
            }
        }
        return new Result(files, skipped, imageNamed, unreadable);
    }

    private static bool IsSameOrAncestor(string folder, string? of) =>
        of is not null && (of == folder || of.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    /// <summary>The path with every symbolic link along it resolved (as <c>realpath</c> does), so that two routes to one folder compare equal.</summary>
    public static string RealPath(string path) => RealPath(path, 0);

    private static string RealPath(string path, int depth)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                // Bounded depth, as the kernel bounds link chains: links among the ancestors cannot recurse forever.
                if (depth < 40 && new DirectoryInfo(current).LinkTarget is not null && Directory.ResolveLinkTarget(current, returnFinalTarget: true) is { } target)
                    current = RealPath(target.FullName, depth + 1);
            }
            catch (IOException)
            {
                // A link that cannot be resolved (a cycle of links): keep the path as written.
            }
        }
        return current;
    }
}
