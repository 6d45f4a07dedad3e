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

    /// <summary>Every file under <paramref name="root"/> (sorted relative paths and contents); a missing folder counts as such.</summary>
    public void AddTree(string name, string root)
    {
        Add("tree", name);
        if (!Directory.Exists(root))
        {
            Add("missing", root);
            return;
        }
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                     .Select(f => (Full: f, Relative: Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/')))
                     .OrderBy(f => f.Relative, StringComparer.Ordinal))
        {
            Add(file.Relative);
            AppendContent(file.Full);
        }
    }

    /// <summary>One file's name and contents.</summary>
    public void AddFile(string path)
    {
        Add("file", Path.GetFileName(path));
        if (File.Exists(path)) AppendContent(path);
        else Add("missing");
    }

    public string Hex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    private void AppendContent(string path)
    {
        using var stream = File.OpenRead(path);
        _hash.AppendData(SHA256.HashData(stream));
    }
}
