using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Harness.Tests.Data;

/// <summary>Hand-made image files for the bad-input tests: PNGs with any header, TIFF headers announcing any size.</summary>
internal static class BadImageFiles
{
    /// <summary>
    /// A PNG whose IHDR says <paramref name="width"/> x <paramref name="height"/> at <paramref name="bitDepth"/> bits,
    /// colour type <paramref name="colorType"/>, followed by an IDAT of <paramref name="rows"/> (zlib-compressed here;
    /// a few bytes of zeros when null, so a huge image stays a tiny file) and IEND.
    /// </summary>
    public static void Png(string path, uint width, uint height, byte bitDepth = 8, byte colorType = 0, byte[]? rows = null)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(0), width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(rows ?? new byte[64]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        file.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(file, "IHDR", ihdr);
        Chunk(file, "IDAT", compressed.ToArray());
        Chunk(file, "IEND", []);
    }

    /// <summary>A 16-bit PNG of the given samples, <paramref name="samples"/> per pixel; row y uses PNG filter y mod 5, so all five are exercised.</summary>
    public static void Png16(string path, int width, int height, byte colorType, int samples, ushort[] values)
    {
        var stride = 2 * samples * width;
        var bpp = 2 * samples;
        var rows = new byte[height * (1 + stride)];
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var raw = new byte[stride];
            for (var x = 0; x < samples * width; x++) BinaryPrimitives.WriteUInt16BigEndian(raw.AsSpan(2 * x), values[y * samples * width + x]);
            var type = y % 5;
            rows[y * (1 + stride)] = (byte)type;
            for (var i = 0; i < stride; i++)
            {
                int a = i >= bpp ? raw[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                var predictor = type switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) >> 1, _ => pa <= pb && pa <= pc ? a : pb <= pc ? b : c };
                rows[y * (1 + stride) + 1 + i] = (byte)(raw[i] - predictor);
            }
            previous = raw;
        }
        Png(path, (uint)width, (uint)height, 16, colorType, rows);
    }

    /// <summary>A little-endian baseline TIFF header (one grey 8-bit strip) that announces <paramref name="width"/> x <paramref name="height"/> pixels but holds 16 bytes.</summary>
    public static void TiffHeader(string path, uint width, uint height)
    {
        var entries = new (ushort Tag, ushort Type, uint Value)[]
        {
            (256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, 8 + 2 + 9 * 12 + 4), (277, 3, 1), (278, 4, height), (279, 4, 16),
        };
        var bytes = new byte[8 + 2 + entries.Length * 12 + 4 + 16];
        "II"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = 10 + 12 * i;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), entries[i].Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 2), entries[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 4), 1);
            if (entries[i].Type == 3) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), (ushort)entries[i].Value);
            else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 8), entries[i].Value);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A 24-bit BMP header announcing <paramref name="width"/> x <paramref name="height"/> pixels, followed by 16 bytes.</summary>
    public static void BmpHeader(string path, int width, int height)
    {
        var bytes = new byte[54 + 16];
        "BM"u8.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(28), 24);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A baseline JPEG's markers (SOI, DQT, SOF0 for one grey component, DHT, SOS, EOI) announcing <paramref name="width"/> x <paramref name="height"/>, with no image data.</summary>
    public static void JpegHeader(string path, ushort width, ushort height)
    {
        var bytes = new List<byte> { 0xFF, 0xD8 };
        bytes.AddRange([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        bytes.AddRange(Enumerable.Repeat((byte)1, 64));
        bytes.AddRange([0xFF, 0xC0, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00]);
        // One DC table (class 0, id 0) with a single 1-bit code for category 0.
        bytes.AddRange([0xFF, 0xC4, 0x00, 0x14, 0x00, 0x01]);
        bytes.AddRange(Enumerable.Repeat((byte)0, 15));
        bytes.Add(0x00);
        bytes.AddRange([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        bytes.AddRange([0x00, 0x00, 0xFF, 0xD9]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes.ToArray());
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        stream.Write(word);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        stream.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typed));
        stream.Write(word);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
