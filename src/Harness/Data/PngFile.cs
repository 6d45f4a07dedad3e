using System.Buffers.Binary;
using System.IO.Compression;

namespace Harness.Data;

/// <summary>
/// What SkiaSharp does not give: a PNG's header as the file states it (size and real bit depth, read before anything
/// is decoded) and an exact decoder for 16-bit PNGs, which SkiaSharp only decodes to 8 bits (a 12-bit camera image
/// saved as a 16-bit PNG would come out nearly black and lose 8 of its bits).
/// </summary>
internal static class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The IHDR fields: size, bits per sample, colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA) and interlace method.</summary>
    internal sealed record Header(long Width, long Height, int BitDepth, int ColorType, int Interlace)
    {
        /// <summary>Samples per pixel stored in the file, alpha included.</summary>
        public int Samples => ColorType switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, _ => 1 };

        /// <summary>Channels of the image, alpha left out.</summary>
        public int Channels => ColorType is 2 or 6 or 3 ? 3 : 1;
    }

    /// <summary>The header of a PNG file, or null when the file does not start with the PNG signature.</summary>
    public static Header? ReadHeader(string path)
    {
        Span<byte> head = stackalloc byte[33];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read < Signature.Length || !head[..Signature.Length].SequenceEqual(Signature)) return null;
        if (read < head.Length || !head[12..16].SequenceEqual("IHDR"u8))
            throw new InvalidDataException("truncated or corrupt PNG (no IHDR header)");
        return new Header(
            BinaryPrimitives.ReadUInt32BigEndian(head[16..20]),
            BinaryPrimitives.ReadUInt32BigEndian(head[20..24]),
            head[24],
            head[25],
            head[28]);
    }

    /// <summary>Decodes a non-interlaced 16-bit PNG exactly (raw values 0..65535, alpha dropped).</summary>
    public static RawImage Decode16(string path, Header header)
    {
        if (header.BitDepth != 16 || header.ColorType is not (0 or 2 or 4 or 6))
            throw new InvalidDataException($"unsupported PNG: {header.BitDepth}-bit colour type {header.ColorType}");
        if (header.Interlace != 0)
            throw new InvalidDataException("unsupported PNG: interlaced 16-bit (save it without interlacing, or as a 16-bit TIFF)");
        ImageLimits.CheckSize(header.Width, header.Height);
        var width = (int)header.Width;
        var height = (int)header.Height;
        var samples = header.Samples;
        var bytesPerPixel = 2 * samples;
        var rowBytes = ImageLimits.BufferLength("PNG row", width, bytesPerPixel);
        var channels = header.Channels;
        var plane = ImageLimits.BufferLength("image", width, height);
        var raw = new float[ImageLimits.BufferLength("image", channels, plane)];

        using var zlib = new ZLibStream(new IdatStream(File.ReadAllBytes(path)), CompressionMode.Decompress);
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        Span<byte> filter = stackalloc byte[1];
        var max = 0f;
        for (var y = 0; y < height; y++)
        {
            try
            {
                if (zlib.ReadAtLeast(filter, 1, throwOnEndOfStream: false) < 1 || zlib.ReadAtLeast(current, rowBytes, throwOnEndOfStream: false) < rowBytes)
                    throw new InvalidDataException("truncated file (image data ends early)");
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith("truncated", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"corrupt PNG image data ({e.Message})");
            }
            Unfilter(filter[0], current, previous, bytesPerPixel);
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < channels; c++)
                {
                    float v = BinaryPrimitives.ReadUInt16BigEndian(current.AsSpan(x * bytesPerPixel + 2 * c, 2));
                    raw[c * plane + y * width + x] = v;
                    if (v > max) max = v;
                }
            }
            (previous, current) = (current, previous);
        }
        return new RawImage(raw, channels, height, width, 16, 1, max);
    }

    private static void Unfilter(byte type, Span<byte> row, ReadOnlySpan<byte> above, int bpp)
    {
        switch (type)
        {
            case 0:
                return;
            case 1:
                for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return;
            case 2:
                for (var i = 0; i < row.Length; i++) row[i] += above[i];
                return;
            case 3:
                for (var i = 0; i < row.Length; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + above[i]) >> 1);
                return;
            case 4:
                for (var i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = above[i], c = i >= bpp ? above[i - bpp] : 0;
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                return;
            default:
                throw new InvalidDataException($"corrupt PNG image data (row filter {type})");
        }
    }

    /// <summary>The concatenated IDAT chunk payloads of a PNG file, as a stream (CRCs are not checked: zlib's own checksum covers the data).</summary>
    private sealed class IdatStream(byte[] file) : Stream
    {
        private int _position = 8;
        private int _left;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (_left == 0)
            {
                if (_position + 8 > file.Length) return 0;
                var length = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(_position, 4));
                var type = file.AsSpan(_position + 4, 4);
                var start = _position + 8;
                if (length > (uint)(file.Length - start))
                {
                    // A chunk cut off by the end of the file: hand out what is there, then end.
                    length = (uint)(file.Length - start);
                }
                _position = start;
                if (type.SequenceEqual("IEND"u8)) return 0;
                if (type.SequenceEqual("IDAT"u8)) _left = (int)length;
                else _position = (int)Math.Min(file.Length, (long)start + length + 4);
                if (_left == 0 && type.SequenceEqual("IDAT"u8)) _position += 4;
            }
            var n = Math.Min(_left, buffer.Length);
            file.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            _left -= n;
            if (_left == 0) _position = (int)Math.Min(file.Length, (long)_position + 4);
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
