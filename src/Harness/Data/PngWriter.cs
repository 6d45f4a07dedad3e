using System.Runtime.InteropServices;
using SkiaSharp;

namespace Harness.Data;

/// <summary>Writes float images (3 x H x W, or 1 x H x W as grey) in [0, 1] as 8-bit PNG files.</summary>
public static class PngWriter
{
    /// <summary>Writes one image; values are clamped to [0, 1] and rounded to the nearest of 256 levels.</summary>
    public static void Write(string path, ReadOnlySpan<float> pixels, int channels, int height, int width)
    {
        if (channels is not (1 or 3)) throw new ArgumentException("PNG export takes 1 or 3 channels.", nameof(channels));
        var plane = height * width;
        if (pixels.Length != channels * plane) throw new ArgumentException($"Expected {channels}x{height}x{width} floats, got {pixels.Length}.", nameof(pixels));
        var bytes = new byte[4 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                var v = pixels[(channels == 1 ? 0 : c) * plane + i];
                bytes[4 * i + c] = (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);
            }
            bytes[4 * i + 3] = 255;
        }
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"SkiaSharp could not encode {path} as PNG.");
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        data.SaveTo(stream);
    }
}
