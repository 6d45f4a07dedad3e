using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using SkiaSharp;

namespace Harness.Data;

/// <summary>
/// Decodes one image file to three float channels in [0, 1]. PNG, JPEG, BMP and WebP are decoded by SkiaSharp
/// (8 bits per channel); TIFF by LibTiff.NET (8- or 16-bit, grey or RGB, strips, contiguous or planar).
/// Grey images are copied into all three channels. A file that cannot be decoded throws
/// <see cref="InvalidDataException"/> whose message says why.
/// </summary>
/// <remarks>
/// Rescale modes: <c>bit_depth</c> divides by the largest value of the file's bit depth (255 or 65535);
/// <c>max</c> divides by the image's largest value (all channels), leaving an all-zero image as zeros;
/// <c>percentile</c> divides by the image's 99.5th percentile (all channels) and clamps to 1, which keeps
/// a few saturated pixels from darkening the whole image.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The rescale modes understood.</summary>
    public static IReadOnlyList<string> RescaleModes { get; } = ["bit_depth", "max", "percentile"];

    /// <summary>File extensions treated as images (lower case, with the dot).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>(StringComparer.Ordinal) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff" };

    /// <summary>Decodes and rescales one file.</summary>
    public static RgbImage Decode(string path, string rescale = "bit_depth")
    {
        if (!RescaleModes.Contains(rescale))
            throw new ArgumentException($"Unknown rescale '{rescale}'; use one of {string.Join(", ", RescaleModes)}.", nameof(rescale));
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var (raw, height, width, maxValue) = ext is ".tif" or ".tiff" ? DecodeTiff(path) : DecodeWithSkia(path);
        Rescale(raw, maxValue, rescale);
        return new RgbImage(raw, height, width);
    }

    /// <summary>Rescales raw intensities in place (see the remarks on the modes).</summary>
    public static void Rescale(Span<float> raw, double bitDepthMax, string rescale)
    {
        double divisor;
        switch (rescale)
        {
            case "bit_depth":
                divisor = bitDepthMax;
                break;
            case "max":
            {
                var max = 0f;
                foreach (var v in raw) max = Math.Max(max, v);
                divisor = max;
                break;
            }
            case "percentile":
            {
                var sorted = raw.ToArray();
                Array.Sort(sorted);
                divisor = sorted.Length == 0 ? 0 : sorted[(int)Math.Floor(0.995 * (sorted.Length - 1))];
                break;
            }
            default:
                throw new ArgumentException($"Unknown rescale '{rescale}'; use one of {string.Join(", ", RescaleModes)}.", nameof(rescale));
        }
        if (divisor <= 0) return;
        var scale = (float)(1.0 / divisor);
        for (var i = 0; i < raw.Length; i++) raw[i] = Math.Min(1f, raw[i] * scale);
    }

    private static (float[] Raw, int Height, int Width, double Max) DecodeWithSkia(string path)
    {
        using var codec = SKCodec.Create(path, out var created);
        if (codec is null) throw new InvalidDataException($"not a decodable image ({created})");
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        if (width <= 0 || height <= 0) throw new InvalidDataException("image has no pixels");
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bytes = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result != SKCodecResult.Success) throw new InvalidDataException($"decoding failed ({result})");
        var plane = width * height;
        var raw = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            raw[i] = bytes[4 * i];
            raw[plane + i] = bytes[4 * i + 1];
            raw[2 * plane + i] = bytes[4 * i + 2];
        }
        return (raw, height, width, 255.0);
    }

    private static (float[] Raw, int Height, int Width, double Max) DecodeTiff(string path)
    {
        using var tif = Tiff.Open(path, "r") ?? throw new InvalidDataException("not a readable TIFF");
        int Field(TiffTag tag, int fallback) => tif.GetField(tag) is { Length: > 0 } f ? f[0].ToInt() : fallback;
        var width = Field(TiffTag.IMAGEWIDTH, 0);
        var height = Field(TiffTag.IMAGELENGTH, 0);
        var bits = Field(TiffTag.BITSPERSAMPLE, 1);
        var samples = Field(TiffTag.SAMPLESPERPIXEL, 1);
        var planar = (PlanarConfig)Field(TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG);
        var photometric = (Photometric)Field(TiffTag.PHOTOMETRIC, (int)Photometric.MINISBLACK);
        var format = (SampleFormat)Field(TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        if (width <= 0 || height <= 0) throw new InvalidDataException("TIFF has no pixels");
        if (bits is not (8 or 16)) throw new InvalidDataException($"unsupported TIFF: {bits} bits per sample (8 and 16 are supported)");
        if (format != SampleFormat.UINT) throw new InvalidDataException($"unsupported TIFF: sample format {format} (unsigned integers are supported)");
        if (photometric is not (Photometric.MINISBLACK or Photometric.MINISWHITE or Photometric.RGB))
            throw new InvalidDataException($"unsupported TIFF: photometric {photometric} (grey and RGB are supported)");
        if (tif.IsTiled()) throw new InvalidDataException("unsupported TIFF: tiled layout (strips are supported)");

        var plane = width * height;
        var raw = new float[3 * plane];
        var colour = samples >= 3 && photometric == Photometric.RGB;
        var channelsToRead = colour ? 3 : 1;
        var bytesPerSample = bits / 8;
        var buffer = new byte[Math.Max(tif.ScanlineSize(), width * samples * bytesPerSample)];
        for (var c = 0; c < channelsToRead; c++)
        {
            for (var y = 0; y < height; y++)
            {
                var ok = planar == PlanarConfig.SEPARATE ? tif.ReadScanline(buffer, y, (short)c) : tif.ReadScanline(buffer, y);
                if (!ok) throw new InvalidDataException($"TIFF row {y} could not be read");
                var stride = planar == PlanarConfig.SEPARATE ? 1 : samples;
                var offset = planar == PlanarConfig.SEPARATE ? 0 : c;
                for (var x = 0; x < width; x++)
                {
                    var s = x * stride + offset;
                    raw[c * plane + y * width + x] = bytesPerSample == 1 ? buffer[s] : BitConverter.ToUInt16(buffer, 2 * s);
                }
            }
        }
        var max = bits == 8 ? 255.0 : 65535.0;
        if (photometric == Photometric.MINISWHITE)
        {
            for (var i = 0; i < plane; i++) raw[i] = (float)(max - raw[i]);
        }
        if (!colour)
        {
            raw.AsSpan(0, plane).CopyTo(raw.AsSpan(plane, plane));
            raw.AsSpan(0, plane).CopyTo(raw.AsSpan(2 * plane, plane));
        }
        return (raw, height, width, max);
    }
}
