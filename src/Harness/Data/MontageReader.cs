using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Reads one class of a montage data source (<see cref="MontageDataSpec"/>): every file <c>&lt;channel&gt;_&lt;id&gt;.tif</c>
/// of the first channel in the class folder, paired with the files of the same id for the other channels, each cut
/// into tile x tile cells row by row. Each channel file is rescaled on its own by the image spec's rescale mode;
/// with <c>bit_depth</c> (the default) that is one global scale for the whole data set (a 12-bit montage is divided
/// by 4095), which keeps brightness differences between classes (DNA content) that per-cell scaling would erase.
/// With <see cref="MontageDataSpec.DropDuplicates"/>, filler is dropped: tiles repeating an earlier tile of the class
/// exactly, and blank tiles (one constant value), which hold no cell.
/// </summary>
public static class MontageReader
{
    /// <summary>One class's cells: channels x tile x tile pixels in [0, 1] each, with their ids (<c>CP0008_t3x12</c>).</summary>
    public static (IReadOnlyList<float[]> Cells, IReadOnlyList<string> Ids, int Duplicates) ReadClass(string folder, MontageDataSpec spec, ImageSpec image)
    {
        if (!Directory.Exists(folder)) throw new DataException($"Montage class folder not found: {folder}");
        var first = spec.Channels[0] + "_";
        var problems = new List<string>();
        var ids = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(n => n is not null && n.StartsWith(first, StringComparison.Ordinal) && !ImageFolderReader.IsIgnoredFile(n))
            .Select(n => n!)
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (ids.Length == 0) throw new DataException($"Montage class folder {folder} holds no {first}* image files.");
        var cells = new List<float[]>();
        var cellIds = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var name in ids)
        {
            var id = Path.GetFileNameWithoutExtension(name)[first.Length..];
            if (Stacked(folder, id, Path.GetExtension(name), spec, image, problems) is not { } montage) continue;
            foreach (var tile in ImageTiler.Cut(montage.Pixels, montage.Channels, montage.Height, montage.Width, spec.Tile, spec.Tile))
            {
                if (spec.DropDuplicates && (!seen.Add(ImageTiler.ContentHash(tile.Pixels)) || IsBlank(tile.Pixels)))
                {
                    duplicates++;
                    continue;
                }
                if (spec.MaxPerClass is { } max && cells.Count >= max) continue;
                cells.Add(tile.Pixels);
                cellIds.Add(ImageTiler.TileName(id, tile.Row, tile.Col, ""));
            }
        }
        if (problems.Count > 0) throw new DataException(problems);
        if (cells.Count == 0) throw new DataException($"Montage class folder {folder} yielded no cells.");
        return (cells, cellIds, duplicates);
    }

    /// <summary>
    /// Montage <paramref name="id"/>'s channel files decoded, rescaled and stacked channel-major, or null when a file is
    /// bad or they do not make one grid of tiles (each problem is added to <paramref name="problems"/>).
    /// </summary>
    private static (float[] Pixels, int Channels, int Height, int Width)? Stacked(string folder, string id, string ext, MontageDataSpec spec,
        ImageSpec image, List<string> problems)
    {
        var planes = new List<RawImage>();
        foreach (var channel in spec.Channels)
        {
            var path = Path.Combine(folder, channel + "_" + id + ext);
            try
            {
                var raw = ImageDecoder.DecodeRaw(path, image.Page);
                if (raw.Channels != 1) throw new InvalidDataException($"montage channel files must be single-channel, this one has {raw.Channels}");
                ImageDecoder.Rescale(raw.Pixels, (1 << raw.EffectiveBits) - 1, image.Rescale);
                planes.Add(raw);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                problems.Add($"Bad montage {path}: {e.Message}");
            }
        }
        if (planes.Count != spec.Channels.Count) return null;
        var (h, w) = (planes[0].Height, planes[0].Width);
        if (planes.Any(p => p.Height != h || p.Width != w))
        {
            problems.Add($"Montage {id} in {folder}: the channel files differ in size ({string.Join(", ", planes.Select(p => $"{p.Height}x{p.Width}"))})");
            return null;
        }
        if (h % spec.Tile != 0 || w % spec.Tile != 0)
        {
            problems.Add($"Montage {id} in {folder}: {h}x{w} pixels is not a whole grid of {spec.Tile}x{spec.Tile} tiles");
            return null;
        }
        var stacked = new float[DatasetLoader.DataBufferLength($"montage {id} in {folder}", planes.Count, h, w)];
        for (var c = 0; c < planes.Count; c++) planes[c].Pixels.CopyTo(stacked, c * h * w);
        return (stacked, planes.Count, h, w);
    }

    private static bool IsBlank(float[] pixels)
    {
        foreach (var v in pixels)
            if (v != pixels[0]) return false;
        return true;
    }
}
