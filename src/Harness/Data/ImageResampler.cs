namespace Harness.Data;

/// <summary>
/// Resizes planar float images (C x H x W) with a named filter: <c>bilinear</c> (half-pixel centres, no
/// antialiasing, like PyTorch's <c>align_corners=False</c>), <c>nearest</c>, or <c>area</c> (each output
/// pixel is the mean of the source area it covers, weighted by overlap; the right choice for downscaling).
/// The filters are separable: rows first, then columns.
/// </summary>
public static class ImageResampler
{
    /// <summary>The filter names understood.</summary>
    public static IReadOnlyList<string> Filters { get; } = ["bilinear", "nearest", "area"];

    /// <summary>Resizes <paramref name="source"/> (channels x height x width) to newHeight x newWidth.</summary>
    public static float[] Resize(ReadOnlySpan<float> source, int channels, int height, int width, int newHeight, int newWidth, string filter)
    {
        if (source.Length != channels * height * width)
            throw new ArgumentException($"Expected {channels}x{height}x{width} floats, got {source.Length}.", nameof(source));
        if (newHeight <= 0 || newWidth <= 0) throw new ArgumentOutOfRangeException(nameof(newHeight), "Target size must be positive.");
        var xTaps = Taps(width, newWidth, filter);
        if (height == newHeight && width == newWidth) return source.ToArray();
        var yTaps = Taps(height, newHeight, filter);

        var result = new float[channels * newHeight * newWidth];
        var rows = new float[height * newWidth];
        for (var c = 0; c < channels; c++)
        {
            var plane = source.Slice(c * height * width, height * width);
            for (var y = 0; y < height; y++)
            {
                var src = plane.Slice(y * width, width);
                var dst = rows.AsSpan(y * newWidth, newWidth);
                for (var x = 0; x < newWidth; x++)
                {
                    var (start, weights) = xTaps[x];
                    var acc = 0f;
                    for (var i = 0; i < weights.Length; i++) acc += weights[i] * src[start + i];
                    dst[x] = acc;
                }
            }
            var output = result.AsSpan(c * newHeight * newWidth, newHeight * newWidth);
            for (var y = 0; y < newHeight; y++)
            {
                var (start, weights) = yTaps[y];
                var dst = output.Slice(y * newWidth, newWidth);
                for (var i = 0; i < weights.Length; i++)
                {
                    var w = weights[i];
                    var src = rows.AsSpan((start + i) * newWidth, newWidth);
                    for (var x = 0; x < newWidth; x++) dst[x] += w * src[x];
                }
            }
        }
        return result;
    }

    private static (int Start, float[] Weights)[] Taps(int n, int m, string filter)
    {
        var scale = (double)n / m;
        var taps = new (int, float[])[m];
        for (var j = 0; j < m; j++)
        {
            switch (filter)
            {
                case "nearest":
                    taps[j] = (Math.Min(n - 1, (int)Math.Floor((j + 0.5) * scale)), [1f]);
                    break;
                case "bilinear":
                {
                    var pos = Math.Clamp((j + 0.5) * scale - 0.5, 0, n - 1);
                    var i0 = Math.Min((int)Math.Floor(pos), n - 1);
                    var f = pos - i0;
                    taps[j] = i0 + 1 < n ? (i0, [(float)(1 - f), (float)f]) : (i0, [1f]);
                    break;
                }
                case "area":
                {
                    var lo = j * scale;
                    var hi = (j + 1) * scale;
                    var first = (int)Math.Floor(lo);
                    var last = Math.Min(n - 1, (int)Math.Ceiling(hi) - 1);
                    var w = new float[last - first + 1];
                    for (var i = first; i <= last; i++) w[i - first] = (float)((Math.Min(hi, i + 1) - Math.Max(lo, i)) / scale);
                    taps[j] = (first, w);
                    break;
                }
                default:
                    throw new ArgumentException($"Unknown resize filter '{filter}'; use one of {string.Join(", ", Filters)}.", nameof(filter));
            }
        }
        return taps;
    }
}
