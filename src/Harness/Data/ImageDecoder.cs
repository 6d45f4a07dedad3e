using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using SkiaSharp;

namespace Harness.Data;

/// <summary>
/// Decodes one image file to three float channels in [0, 1]. PNG, JPEG, BMP and WebP are decoded by SkiaSharp
/// (8 bits per channel); TIFF by LibTiff.NET (8- or 16-bit unsigned, one or more samples per pixel, strips,
/// contiguous or planar, any compression LibTiff reads: none, PackBits, LZW, Deflate; one or many pages).
/// A file that cannot be decoded (empty, truncated, corrupt, unsupported) throws <see cref="InvalidDataException"/>
/// whose message says why.
/// </summary>
/// <remarks>
/// <para>Channels: a grey image is copied into R, G and B; a two-channel image fills R and G (B stays 0); an image
/// with three or more channels gives its first three (alpha is never a channel).</para>
/// <para>Pages (<c>image.tiff_page</c>): a page index (<c>0</c>, the default, is the first page), or <c>max</c> /
/// <c>mean</c>, the per-pixel maximum or mean over all pages (a projection of a z-stack). All pages must have
/// the same size.</para>
/// <para>Rescale modes: <c>bit_depth</c> divides by the largest value of the image's <em>effective</em> bit depth
/// (<see cref="EffectiveBitDepth"/>): 8-bit files by 255; 16-bit files by 4095 when every value is below 4096
/// (a 12-bit camera image stored in a 16-bit file, which would otherwise look nearly black), else by 65535.
/// <c>max</c> divides by the image's largest value (all channels), leaving an all-zero image as zeros;
/// <c>percentile</c> divides by the image's 99.5th percentile (all channels) and clamps to 1, which keeps a few
/// saturated pixels from darkening the whole image. Only <c>bit_depth</c> keeps one global intensity scale
/// across images (needed when classes differ in total brightness, e.g. DNA content).</para>
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The rescale modes understood.</summary>
    public static IReadOnlyList<string> RescaleModes { get; } = ["bit_depth", "max", "percentile"];

    /// <summary>File extensions treated as images (lower case, with the dot).</summary>
    public static IReadOnlySet<string> ImageExtensions { get; } =
        new HashSet<string>(StringComparer.Ordinal) { ".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff" };

    static ImageDecoder() => Tiff.SetErrorHandler(new TiffMessages());

    /// <summary>Decodes and rescales one file (see the remarks for <paramref name="rescale"/> and <paramref name="tiffPage"/>).</summary>
    public static RgbImage Decode(string path, string rescale = "bit_depth", string tiffPage = "0")
    {
        if (!RescaleModes.Contains(rescale))
            throw new ArgumentException($"Unknown rescale '{rescale}'; use one of {string.Join(", ", RescaleModes)}.", nameof(rescale));
        var raw = DecodeRaw(path, tiffPage);
        var rgb = ToRgb(raw.Pixels, raw.Channels, raw.Height, raw.Width);
        Rescale(rgb, (1 << raw.EffectiveBits) - 1, rescale);
        return new RgbImage(rgb, raw.Height, raw.Width);
    }

    /// <summary>
    /// The effective bit depth of an image: 8 for 8-bit files; for 16-bit files 12 when the largest value is below
    /// 4096, else 16. (10- and 14-bit data are treated as 12 and 16 bits, so that one data set keeps one scale
    /// even when some of its images are dim.)
    /// </summary>
    public static int EffectiveBitDepth(int containerBits, float maxValue) =>
        containerBits <= 8 ? 8 : maxValue < 4096 ? 12 : 16;

    /// <summary>Checks a <c>tiff_page</c> value: a page index, <c>max</c> or <c>mean</c>.</summary>
    public static bool IsTiffPage(string tiffPage) =>
        tiffPage is "max" or "mean" || (int.TryParse(tiffPage, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p >= 0);

    /// <summary>Decodes one file to raw values without rescaling.</summary>
    public static RawImage DecodeRaw(string path, string tiffPage = "0")
    {
        if (!IsTiffPage(tiffPage)) throw new ArgumentException($"Unknown tiff page '{tiffPage}'; use a page index, max or mean.", nameof(tiffPage));
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true })
            throw new FileNotFoundException($"broken symbolic link: its target {info.LinkTarget} is not found", path);
        if (!info.Exists) throw new FileNotFoundException($"file not found: {path}", path);
        if (info.Length == 0) throw new InvalidDataException("empty file (0 bytes)");
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (!ImageExtensions.Contains(ext)) throw new InvalidDataException($"unsupported file type '{ext}'");
        return ext is ".tif" or ".tiff" ? DecodeTiff(path, tiffPage) : DecodeWithSkia(path);
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

    /// <summary>Spreads <paramref name="channels"/> planes over R, G, B as the class remarks say.</summary>
    public static float[] ToRgb(ReadOnlySpan<float> pixels, int channels, int height, int width)
    {
        var plane = height * width;
        var rgb = new float[3 * plane];
        if (channels == 1)
        {
            for (var c = 0; c < 3; c++) pixels[..plane].CopyTo(rgb.AsSpan(c * plane, plane));
        }
        else
        {
            for (var c = 0; c < Math.Min(3, channels); c++) pixels.Slice(c * plane, plane).CopyTo(rgb.AsSpan(c * plane, plane));
        }
        return rgb;
    }

    private static RawImage DecodeWithSkia(string path)
    {
        // The size is checked from the header before SkiaSharp sees the file: its pixel buffer is sized from it.
        var png = PngFile.ReadHeader(path);
        if (png is not null)
        {
            ImageLimits.CheckSize(png.Width, png.Height);
            if (png.BitDepth == 16) return PngFile.Decode16(path, png);
        }
        using var codec = SKCodec.Create(path, out var created);
        if (codec is null) throw new InvalidDataException($"not a decodable image ({created})");
        var width = codec.Info.Width;
        var height = codec.Info.Height;
        ImageLimits.CheckSize(width, height);
        var grey = codec.Info.ColorType is SKColorType.Gray8 or SKColorType.Alpha8;
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bytes = new byte[ImageLimits.BufferLength("image", 4, width, height)];
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
        if (result == SKCodecResult.IncompleteInput) throw new InvalidDataException("truncated file (image data ends early)");
        if (result != SKCodecResult.Success) throw new InvalidDataException($"decoding failed ({result})");
        var plane = width * height;
        var channels = grey ? 1 : 3;
        var raw = new float[ImageLimits.BufferLength("image", channels, plane)];
        var max = 0f;
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                float v = bytes[4 * i + c];
                raw[c * plane + i] = v;
                if (v > max) max = v;
            }
        }
        return new RawImage(raw, channels, height, width, 8, 1, max);
    }

    private static RawImage DecodeTiff(string path, string tiffPage)
    {
        TiffMessages.Clear();
        using var tif = Tiff.Open(path, "r") ?? throw new InvalidDataException($"not a readable TIFF (corrupt or truncated){TiffMessages.Last()}");
        int pages = tif.NumberOfDirectories();
        if (pages <= 0) throw new InvalidDataException("TIFF has no pages");
        IEnumerable<int> which;
        if (tiffPage is "max" or "mean") which = Enumerable.Range(0, pages);
        else
        {
            var page = int.Parse(tiffPage, System.Globalization.CultureInfo.InvariantCulture);
            if (page >= pages) throw new InvalidDataException($"TIFF has {pages} page(s); page {page} does not exist");
            which = [page];
        }
        RawImage? result = null;
        var count = 0;
        foreach (var page in which)
        {
            if (!tif.SetDirectory((short)page)) throw new InvalidDataException($"TIFF page {page} could not be read{TiffMessages.Last()}");
            var one = DecodeTiffPage(tif, page);
            count++;
            if (result is null)
            {
                result = one;
                continue;
            }
            if (one.Channels != result.Channels || one.Height != result.Height || one.Width != result.Width || one.BitsPerSample != result.BitsPerSample)
                throw new InvalidDataException($"TIFF page {page} is {one.Channels}x{one.Height}x{one.Width} ({one.BitsPerSample}-bit) but page 0 is {result.Channels}x{result.Height}x{result.Width} ({result.BitsPerSample}-bit); pages cannot be projected");
            var acc = result.Pixels;
            if (tiffPage == "max") for (var i = 0; i < acc.Length; i++) acc[i] = Math.Max(acc[i], one.Pixels[i]);
            else for (var i = 0; i < acc.Length; i++) acc[i] += one.Pixels[i];
        }
        if (tiffPage == "mean" && count > 1)
        {
            for (var i = 0; i < result!.Pixels.Length; i++) result.Pixels[i] /= count;
        }
        var max = 0f;
        foreach (var v in result!.Pixels) max = Math.Max(max, v);
        return result with { Pages = pages, MaxValue = max };
    }

    private static RawImage DecodeTiffPage(Tiff tif, int page)
    {
        int Field(TiffTag tag, int fallback) => tif.GetField(tag) is { Length: > 0 } f ? f[0].ToInt() : fallback;
        var width = Field(TiffTag.IMAGEWIDTH, 0);
        var height = Field(TiffTag.IMAGELENGTH, 0);
        var bits = Field(TiffTag.BITSPERSAMPLE, 1);
        var samples = Field(TiffTag.SAMPLESPERPIXEL, 1);
        var extra = tif.GetField(TiffTag.EXTRASAMPLES) is { Length: > 0 } e ? e[0].ToInt() : 0;
        var planar = (PlanarConfig)Field(TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG);
        var photometric = (Photometric)Field(TiffTag.PHOTOMETRIC, (int)Photometric.MINISBLACK);
        var format = (SampleFormat)Field(TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        var where = page == 0 ? "" : $" (page {page})";
        if (width == 0 || height == 0) throw new InvalidDataException($"TIFF has no pixels{where}");
        // Before any buffer: a TIFF's tags can announce any size (up to 2^32 - 1 a side), and the strips are sized from them.
        ImageLimits.CheckSize((uint)width, (uint)height);
        if (samples is < 1 or > 64) throw new InvalidDataException($"unsupported TIFF: {samples} samples per pixel{where}");
        if (bits is not (8 or 16)) throw new InvalidDataException($"unsupported TIFF: {bits} bits per sample (8 and 16 are supported){where}");
        if (format != SampleFormat.UINT) throw new InvalidDataException($"unsupported TIFF: sample format {format} (unsigned integers are supported){where}");
        if (photometric is not (Photometric.MINISBLACK or Photometric.MINISWHITE or Photometric.RGB))
            throw new InvalidDataException($"unsupported TIFF: photometric {photometric} (grey, multi-channel grey and RGB are supported){where}");
        if (tif.IsTiled()) throw new InvalidDataException($"unsupported TIFF: tiled layout (strips are supported){where}");

        // An RGBA or grey+alpha file declares its alpha as an extra sample: it is not a channel.
        var channels = photometric == Photometric.RGB && samples >= 4 && extra > 0 ? samples - extra : samples;
        if (channels < 1) channels = 1;
        var plane = width * height;
        var raw = new float[ImageLimits.BufferLength("image", channels, width, height)];
        var bytesPerSample = bits / 8;
        var rowLength = ImageLimits.BufferLength("TIFF row", width, samples, bytesPerSample);
        var buffer = new byte[Math.Max(tif.ScanlineSize(), rowLength)];
        var stride = planar == PlanarConfig.SEPARATE ? 1 : samples;
        for (var c = 0; c < (planar == PlanarConfig.SEPARATE ? channels : 1); c++)
        {
            for (var y = 0; y < height; y++)
            {
                var ok = planar == PlanarConfig.SEPARATE ? tif.ReadScanline(buffer, y, (short)c) : tif.ReadScanline(buffer, y);
                if (!ok) throw new InvalidDataException($"TIFF row {y} could not be read (truncated or corrupt){where}{TiffMessages.Last()}");
                var channelsInRow = planar == PlanarConfig.SEPARATE ? 1 : channels;
                for (var k = 0; k < channelsInRow; k++)
                {
                    var channel = planar == PlanarConfig.SEPARATE ? c : k;
                    var offset = planar == PlanarConfig.SEPARATE ? 0 : k;
                    var row = raw.AsSpan(channel * plane + y * width, width);
                    for (var x = 0; x < width; x++)
                    {
                        var s = x * stride + offset;
                        row[x] = bytesPerSample == 1 ? buffer[s] : BitConverter.ToUInt16(buffer, 2 * s);
                    }
                }
            }
        }
        var full = bits == 8 ? 255f : 65535f;
        if (photometric == Photometric.MINISWHITE)
        {
            for (var i = 0; i < raw.Length; i++) raw[i] = full - raw[i];
        }
        var max = 0f;
        foreach (var v in raw) max = Math.Max(max, v);
        return new RawImage(raw, channels, height, width, bits, 1, max);
    }

    /// <summary>Keeps LibTiff's messages off the console and available for error messages (per thread).</summary>
    private sealed class TiffMessages : TiffErrorHandler
    {
        [ThreadStatic]
        private static string? last;

        public static void Clear() => last = null;

        public static string Last() => last is null ? "" : $": {last}";

        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) =>
            last = SafeFormat(format, args);

        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) =>
            last = SafeFormat(format, args);

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
        }

        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args)
        {
        }

        private static string SafeFormat(string format, object[] args)
        {
            try
            {
                return string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
            }
            catch (FormatException)
            {
                return format;
            }
        }
    }
}
