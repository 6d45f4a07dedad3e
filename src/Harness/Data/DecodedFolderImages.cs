namespace Harness.Data;

/// <summary>
/// Walks an image folder for the preparation commands (tile, rotate): every image file in ordinal order,
/// skipping hidden folders, <c>__MACOSX</c> and phantom files, decoded at its own bit depth. A file that cannot be
/// decoded is added to <c>problems</c> with its path and reason, and the walk goes on.
/// </summary>
public static class DecodedFolderImages
{
    /// <summary>The decodable images under <paramref name="root"/> with their paths relative to it.</summary>
    public static IEnumerable<(string File, string Relative, RawImage Image)> Under(string root, List<string> problems)
    {
        if (!Directory.Exists(root)) throw new DataException($"Image folder not found: {root}");
        foreach (var file in FolderWalk.Files(root).Files.Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p.StartsWith('.') || p == "__MACOSX") || ImageFolderReader.IsIgnoredFile(Path.GetFileName(file))) continue;
            RawImage raw;
            try
            {
                raw = ImageDecoder.DecodeRaw(file);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"Bad image {file}: {e.Message}");
                continue;
            }
            yield return (file, relative, raw);
        }
    }
}
