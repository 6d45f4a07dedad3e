using System.Buffers.Binary;
using System.IO.Compression;

namespace Harness.Data;

/// <summary>
/// Reads IDX files, the MNIST / Fashion-MNIST format: a big-endian header (two zero bytes, a type code, the number
/// of dimensions, then each dimension as a 32-bit integer) followed by the data. Files may be raw or gzipped
/// (detected by the gzip magic bytes, not the name). Only unsigned bytes (type 0x08) are supported, which is what
/// image and label files hold.
/// </summary>
public static class IdxReader
{
    /// <summary>Known class names, label order, by data set name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ClassNames { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        // Prefixed with the label so that the ordinal sort of the names is the label order.
        ["fashion-mnist"] = ["0_tshirt_top", "1_trouser", "2_pullover", "3_dress", "4_coat", "5_sandal", "6_shirt", "7_sneaker", "8_bag", "9_ankle_boot"],
        ["mnist"] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    };

    /// <summary>Reads one file: its dimensions and its bytes (row-major).</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
            if (bytes.Length >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var output = new MemoryStream();
                gzip.CopyTo(output);
                bytes = output.ToArray();
            }
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"Bad IDX file {path}: corrupt gzip data ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            // A file (or its unzipped contents) over 2 GB cannot be one array; say so instead of failing inside the runtime.
            throw new DataException($"Bad IDX file {path}: {e.Message}");
        }
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new DataException($"Bad IDX file {path}: no IDX header (expected two zero bytes, a type code and a dimension count)");
        if (bytes[2] != 0x08) throw new DataException($"Bad IDX file {path}: element type 0x{bytes[2]:x2} is not supported (unsigned bytes, 0x08, are)");
        var rank = bytes[3];
        if (rank is 0 or > 4 || bytes.Length < 4 + 4 * rank) throw new DataException($"Bad IDX file {path}: {rank} dimensions, or the header is truncated");
        var dims = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i, 4));
            if (dims[i] <= 0) throw new DataException($"Bad IDX file {path}: dimension {i} is {dims[i]}");
            // Checked: four 31-bit dimensions can overflow a long, and a wrapped count could match the file's length.
            try
            {
                count = checked(count * dims[i]);
            }
            catch (OverflowException)
            {
                throw new DataException($"Bad IDX file {path}: dimensions {string.Join(" x ", dims.Take(i + 1))} are too large (corrupt header)");
            }
        }
        var offset = 4 + 4 * rank;
        if (bytes.Length - offset != count)
            throw new DataException($"Bad IDX file {path}: header announces {count} values ({string.Join(" x ", dims)}) but the file holds {bytes.Length - offset} (truncated or corrupt)");
        return (dims, bytes[offset..]);
    }

    /// <summary>Writes bytes with the given dimensions as an IDX file (gzipped when <paramref name="gzip"/>); for tests and exports.</summary>
    public static void Write(string path, IReadOnlyList<int> dimensions, ReadOnlySpan<byte> data, bool gzip = false)
    {
        var header = new byte[4 + 4 * dimensions.Count];
        header[2] = 0x08;
        header[3] = (byte)dimensions.Count;
        for (var i = 0; i < dimensions.Count; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i, 4), dimensions[i]);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(header);
        stream.Write(data);
    }

    /// <summary>Reads an images file (N x H x W) and its labels file (N) into images with labels, checking that they agree.</summary>
    public static (byte[] Pixels, int[] Labels, int Height, int Width) ReadPair(string imagesPath, string labelsPath)
    {
        var (imageDims, pixels) = Read(imagesPath);
        var (labelDims, labelBytes) = Read(labelsPath);
        if (imageDims.Length != 3) throw new DataException($"Bad IDX images file {imagesPath}: {imageDims.Length} dimensions, expected 3 (N x H x W)");
        if (labelDims.Length != 1) throw new DataException($"Bad IDX labels file {labelsPath}: {labelDims.Length} dimensions, expected 1 (N)");
        if (imageDims[0] != labelDims[0])
            throw new DataException($"IDX files disagree: {imagesPath} holds {imageDims[0]} images but {labelsPath} holds {labelDims[0]} labels");
        return (pixels, labelBytes.Select(b => (int)b).ToArray(), imageDims[1], imageDims[2]);
    }
}
