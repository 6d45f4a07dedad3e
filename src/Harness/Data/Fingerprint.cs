using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Harness.Specs;

namespace Harness.Data;

/// <summary>An incremental SHA-256 over length-prefixed texts and file contents: the identity of a prepared data set.</summary>
internal sealed class Fingerprint
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
        Add("image", image.Height.ToString(CultureInfo.InvariantCulture), image.Width.ToString(CultureInfo.InvariantCulture), image.ColorMode.Kind,
            string.Join(",", image.ColorMode.Channels), image.ColorMode.MonoReduction, image.Rescale, image.ResizeFilter, image.Page, image.Normalization);

    /// <summary>
    /// A folder by its absolute path, its subfolders (the classes of a class-per-folder tree, empty ones included) and
    /// every file under it (sorted relative paths and contents); a missing folder counts as such. The path is part of
    /// the key so that a data set prepared from one folder is never handed out, with that folder's notes, for another
    /// folder that happens to hold the same files.
    /// </summary>
    public void AddTree(string name, string root)
    {
        var full = Path.GetFullPath(root);
        Add("tree", name, full);
        if (!Directory.Exists(full))
        {
            Add("missing");
            return;
        }
        Add("folders", string.Join("/", Directory.GetDirectories(full).Select(Path.GetFileName).Order(StringComparer.Ordinal)));
        foreach (var file in FolderWalk.Files(full).Files
                     .Select(f => (Full: f, Relative: Path.GetRelativePath(full, f).Replace(Path.DirectorySeparatorChar, '/')))
                     .OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            Add(file.Relative);
            AppendContent(file.Full);
        }
    }

    /// <summary>One file's absolute path and contents.</summary>
    public void AddFile(string path)
    {
        Add("file", Path.GetFullPath(path));
        if (File.Exists(path)) AppendContent(path);
        else Add("missing");
    }

    public string Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    private void AppendContent(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            _hash.AppendData(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A dangling link or an unreadable file: the reader names it with its reason; the key only has to differ.
            Add("unreadable", e.GetType().Name);
        }
    }
}
