namespace Harness.Data;

/// <summary>
/// Really rotates (and shifts) planar float images (C x H x W) about their centre, keeping the size: each output
/// pixel samples the source bilinearly at the inversely transformed position. Positions outside the source are
/// filled as <see cref="FillModes"/> says: <c>reflect</c> (mirror at the edge, the edge pixel repeated:
/// <c>c b a | a b c | c b a</c>), <c>nearest</c> (the nearest edge pixel) or <c>constant</c> (0).
/// Positive angles turn the image counter-clockwise as displayed (y axis pointing down).
/// </summary>
public static class ImageRotation
{
    /// <summary>Fill modes understood.</summary>
    public static IReadOnlyList<string> FillModes { get; } = ["reflect", "nearest", "constant"];

    /// <summary>Rotates by <paramref name="degrees"/> about the centre.</summary>
    public static float[] Rotate(ReadOnlySpan<float> image, int channels, int height, int width, double degrees, string fill = "reflect") =>
        Transform(image, channels, height, width, degrees, 0, 0, fill);

    /// <summary>Rotates by <paramref name="degrees"/> about the centre, then shifts by (<paramref name="shiftY"/>, <paramref name="shiftX"/>) pixels.</summary>
    public static float[] Transform(ReadOnlySpan<float> image, int channels, int height, int width, double degrees, double shiftY, double shiftX, string fill = "reflect")
    {
        if (!FillModes.Contains(fill)) throw new ArgumentException($"Unknown fill mode '{fill}'; use one of {string.Join(", ", FillModes)}.", nameof(fill));
        if (image.Length != channels * height * width) throw new ArgumentException($"Expected {channels}x{height}x{width} floats, got {image.Length}.", nameof(image));
        var result = new float[image.Length];
        var theta = degrees * Math.PI / 180;
        // Counter-clockwise on screen (y down) is a clockwise rotation in (x, y) coordinates.
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        double cy = (height - 1) / 2.0, cx = (width - 1) / 2.0;
        var plane = height * width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double dy = y - shiftY - cy, dx = x - shiftX - cx;
                var sx = cos * dx - sin * dy + cx;
                var sy = sin * dx + cos * dy + cy;
                var x0 = (int)Math.Floor(sx);
                var y0 = (int)Math.Floor(sy);
                var fx = (float)(sx - x0);
                var fy = (float)(sy - y0);
                for (var c = 0; c < channels; c++)
                {
                    var p = image.Slice(c * plane, plane);
                    var v00 = Sample(p, height, width, y0, x0, fill);
                    var v01 = Sample(p, height, width, y0, x0 + 1, fill);
                    var v10 = Sample(p, height, width, y0 + 1, x0, fill);
                    var v11 = Sample(p, height, width, y0 + 1, x0 + 1, fill);
                    result[c * plane + y * width + x] = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
                }
            }
        }
        return result;
    }

    /// <summary>Flips in place: horizontally (mirror left-right) and/or vertically.</summary>
    public static void Flip(Span<float> image, int channels, int height, int width, bool horizontal, bool vertical)
    {
        for (var c = 0; c < channels; c++)
        {
            var p = image.Slice(c * height * width, height * width);
            if (horizontal)
                for (var y = 0; y < height; y++) p.Slice(y * width, width).Reverse();
            if (vertical)
                for (var y = 0; y < height / 2; y++)
                {
                    var a = p.Slice(y * width, width);
                    var b = p.Slice((height - 1 - y) * width, width);
                    for (var x = 0; x < width; x++) (a[x], b[x]) = (b[x], a[x]);
                }
        }
    }

    private static float Sample(ReadOnlySpan<float> plane, int height, int width, int y, int x, string fill)
    {
        if (y >= 0 && y < height && x >= 0 && x < width) return plane[y * width + x];
        switch (fill)
        {
            case "constant":
                return 0f;
            case "nearest":
                return plane[Math.Clamp(y, 0, height - 1) * width + Math.Clamp(x, 0, width - 1)];
            default:
                return plane[Reflect(y, height) * width + Reflect(x, width)];
        }
    }

    private static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        var period = 2 * n;
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - 1 - i;
    }

    /// <summary>
    /// Writes rotated copies of every image of <paramref name="input"/> (class subfolders kept) into
    /// <paramref name="output"/>: <c>&lt;stem&gt;_&lt;angle&gt;.png</c> for each whole-degree angle (<c>C100_-5.png</c>),
    /// which the default group pattern maps back to the source <c>C100</c>. Images are rescaled to [0, 1] by
    /// <paramref name="rescale"/> and written as 8-bit PNG (grey stays grey). Returns the number of files written.
    /// </summary>
    public static int RotateFolder(string input, string output, IReadOnlyList<int> angles, string fill = "reflect", string rescale = "bit_depth")
    {
        var root = Path.GetFullPath(input);
        if (!Directory.Exists(root)) throw new DataException($"Image folder not found: {root}");
        if (!FillModes.Contains(fill)) throw new ArgumentException($"Unknown fill mode '{fill}'; use one of {string.Join(", ", FillModes)}.", nameof(fill));
        var problems = new List<string>();
        var written = 0;
        foreach (var (file, relative, raw) in DecodedFolderImages.Under(root, problems))
        {
            var channels = raw.Channels == 1 ? 1 : 3;
            var pixels = channels == 1 ? raw.Pixels : ImageDecoder.ToRgb(raw.Pixels, raw.Channels, raw.Height, raw.Width);
            ImageDecoder.Rescale(pixels, (1 << raw.EffectiveBits) - 1, rescale);
            var dir = Path.Combine(output, Path.GetDirectoryName(relative) ?? "");
            foreach (var angle in angles)
            {
                var rotated = Rotate(pixels, channels, raw.Height, raw.Width, angle, fill);
                PngWriter.Write(Path.Combine(dir, FormattableString.Invariant($"{Path.GetFileNameWithoutExtension(file)}_{angle}.png")), rotated, channels, raw.Height, raw.Width);
                written++;
            }
        }
        if (problems.Count > 0) throw new DataException(problems);
        return written;
    }
}
