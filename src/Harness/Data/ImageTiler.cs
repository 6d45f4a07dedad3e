using System.Security.Cryptography;
using System.Runtime.InteropServices;

namespace Harness.Data;

/// <summary>
/// Cuts large fields into a grid of tiles: by a rows x columns grid (the published 4 x 4 = 16 tiles per field) or
/// by a tile size (montages of single-cell images). A tile is named <c>&lt;source&gt;_t&lt;row&gt;x&lt;col&gt;</c>
/// (<c>C100_t2x3.png</c>, rows and columns from 0), which the default group pattern maps back to its source
/// (<c>C100</c>), so every tile of one field stays on one side of a split.
/// </summary>
public static class ImageTiler
{
    /// <summary>The name of the tile at (row, col) of <paramref name="source"/>, with <paramref name="extension"/> (with its dot).</summary>
    public static string TileName(string source, int row, int col, string extension) =>
        FormattableString.Invariant($"{source}_t{row}x{col}{extension}");

    /// <summary>
    /// Cuts <paramref name="image"/> (channels x H x W) into tiles of tileHeight x tileWidth, row by row; a remainder
    /// at the right or bottom edge that is smaller than a tile is left out. With <paramref name="dropDuplicates"/>,
    /// a tile whose content repeats an earlier tile exactly is left out (montage filler).
    /// </summary>
    public static IReadOnlyList<ImageTile> Cut(ReadOnlySpan<float> image, int channels, int height, int width, int tileHeight, int tileWidth, bool dropDuplicates = false)
    {
        if (tileHeight <= 0 || tileWidth <= 0) throw new ArgumentOutOfRangeException(nameof(tileHeight), "Tile size must be positive.");
        if (tileHeight > height || tileWidth > width) throw new ArgumentException($"A {tileHeight}x{tileWidth} tile does not fit a {height}x{width} image.");
        var rows = height / tileHeight;
        var cols = width / tileWidth;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tiles = new List<ImageTile>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var tile = new float[channels * tileHeight * tileWidth];
                for (var ch = 0; ch < channels; ch++)
                    for (var y = 0; y < tileHeight; y++)
                        image.Slice(ch * height * width + (r * tileHeight + y) * width + c * tileWidth, tileWidth)
                            .CopyTo(tile.AsSpan((ch * tileHeight + y) * tileWidth, tileWidth));
                if (dropDuplicates && !seen.Add(ContentHash(tile))) continue;
                tiles.Add(new ImageTile(r, c, tile));
            }
        }
        return tiles;
    }

    /// <summary>
    /// Tiles every image of <paramref name="input"/> (its class subfolders kept) into <paramref name="output"/>, by a
    /// rows x cols grid or, when <paramref name="tileSize"/> is set, by tiles of that side. TIFF sources give TIFF
    /// tiles with their raw values and bit depth (a 16-bit montage stays 16-bit); other formats give PNG tiles.
    /// Phantom files are ignored. Returns the number of tiles written and of duplicate tiles dropped.
    /// </summary>
    public static (int Written, int Duplicates) TileFolder(string input, string output, int rows, int cols, int? tileSize = null, bool dropDuplicates = true)
    {
        var root = Path.GetFullPath(input);
        if (!Directory.Exists(root)) throw new DataException($"Image folder not found: {root}");
        var written = 0;
        var duplicates = 0;
        var problems = new List<string>();
        foreach (var (file, relative, raw) in DecodedFolderImages.Under(root, problems))
        {
            var th = tileSize ?? raw.Height / rows;
            var tw = tileSize ?? raw.Width / cols;
            if (th <= 0 || tw <= 0 || th > raw.Height || tw > raw.Width)
            {
                problems.Add($"Cannot tile {file}: {raw.Height}x{raw.Width} pixels do not hold a {th}x{tw} tile");
                continue;
            }
            var kept = Cut(raw.Pixels, raw.Channels, raw.Height, raw.Width, th, tw, dropDuplicates);
            duplicates += (raw.Height / th) * (raw.Width / tw) - kept.Count;
            var isTiff = Path.GetExtension(file).ToLowerInvariant() is ".tif" or ".tiff";
            var targetDir = Path.Combine(output, Path.GetDirectoryName(relative) ?? "");
            var stem = Path.GetFileNameWithoutExtension(file);
            foreach (var tile in kept)
            {
                var path = Path.Combine(targetDir, TileName(stem, tile.Row, tile.Col, isTiff ? ".tif" : ".png"));
                if (isTiff) TiffWriter.Write(path, [tile.Pixels], raw.Channels, th, tw, raw.BitsPerSample);
                else
                {
                    var rgb = ImageDecoder.ToRgb(tile.Pixels, raw.Channels, th, tw);
                    for (var i = 0; i < rgb.Length; i++) rgb[i] /= 255f;
                    PngWriter.Write(path, raw.Channels == 1 ? rgb.AsSpan(0, th * tw) : rgb, raw.Channels == 1 ? 1 : 3, th, tw);
                }
                written++;
            }
        }
        if (problems.Count > 0) throw new DataException(problems);
        return (written, duplicates);
    }

    /// <summary>SHA-256 (hex) of float pixels: equal for exactly equal content.</summary>
    public static string ContentHash(ReadOnlySpan<float> pixels) =>
        Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(pixels)));
}
