using BitMiracle.LibTiff.Classic;

namespace Harness.Data;

/// <summary>
/// Writes raw sample values (channels x H x W per page) as an 8- or 16-bit unsigned TIFF, one page per array,
/// channels interleaved (contiguous), with the named compression: <c>none</c>, <c>packbits</c> (the default,
/// as microscope software writes), <c>lzw</c> or <c>deflate</c>. Used for 16-bit tiles and test fixtures.
/// </summary>
public static class TiffWriter
{
    /// <summary>Writes <paramref name="pages"/> (each channels*height*width raw values) to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<float[]> pages, int channels, int height, int width, int bitsPerSample = 16, string compression = "packbits")
    {
        if (bitsPerSample is not (8 or 16)) throw new ArgumentException("TIFF export takes 8 or 16 bits per sample.", nameof(bitsPerSample));
        if (pages.Count == 0) throw new ArgumentException("At least one page is needed.", nameof(pages));
        var scheme = compression switch
        {
            "none" => Compression.NONE,
            "packbits" => Compression.PACKBITS,
            "lzw" => Compression.LZW,
            "deflate" => Compression.DEFLATE,
            _ => throw new ArgumentException($"Unknown compression '{compression}'; use none, packbits, lzw or deflate.", nameof(compression)),
        };
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var plane = height * width;
        var full = bitsPerSample == 8 ? 255f : 65535f;
        using var tif = Tiff.Open(path, "w") ?? throw new IOException($"Cannot write TIFF {path}.");
        for (var p = 0; p < pages.Count; p++)
        {
            var pixels = pages[p];
            if (pixels.Length != channels * plane) throw new ArgumentException($"Page {p}: expected {channels}x{height}x{width} values, got {pixels.Length}.", nameof(pages));
            tif.SetField(TiffTag.IMAGEWIDTH, width);
            tif.SetField(TiffTag.IMAGELENGTH, height);
            tif.SetField(TiffTag.BITSPERSAMPLE, bitsPerSample);
            tif.SetField(TiffTag.SAMPLESPERPIXEL, channels);
            tif.SetField(TiffTag.PHOTOMETRIC, channels == 3 ? Photometric.RGB : Photometric.MINISBLACK);
            tif.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
            tif.SetField(TiffTag.ROWSPERSTRIP, Math.Max(1, Math.Min(height, 8192 / Math.Max(1, width * channels * bitsPerSample / 8))));
            tif.SetField(TiffTag.COMPRESSION, scheme);
            if (pages.Count > 1)
            {
                tif.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                tif.SetField(TiffTag.PAGENUMBER, p, pages.Count);
            }
            var bytesPerSample = bitsPerSample / 8;
            var row = new byte[width * channels * bytesPerSample];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var v = (ushort)Math.Round(Math.Clamp(pixels[c * plane + y * width + x], 0f, full));
                        var s = x * channels + c;
                        if (bytesPerSample == 1) row[s] = (byte)v;
                        else
                        {
                            row[2 * s] = (byte)(v & 0xFF);
                            row[2 * s + 1] = (byte)(v >> 8);
                        }
                    }
                }
                if (!tif.WriteScanline(row, y)) throw new IOException($"Cannot write row {y} of TIFF {path}.");
            }
            if (!tif.WriteDirectory()) throw new IOException($"Cannot finish page {p} of TIFF {path}.");
        }
    }
}
