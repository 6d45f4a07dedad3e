using System.Runtime.InteropServices;
using System.Text;

namespace Harness.Data;

/// <summary>
/// Prepared data sets stored once on disk and read back by every run and process: one file
/// <c>&lt;fingerprint&gt;.bin</c> per data set in <see cref="Directory"/> (by default <c>$HARNESS_CACHE_DIR</c>, else
/// <c>~/.cache/harness/datasets</c>). The fingerprint covers the file contents and every preprocessing parameter
/// (<see cref="DatasetLoader.Fingerprint"/>), so any change of the inputs or the code version selects another file.
/// Writes go to a unique temporary file renamed into place, so concurrent writers and readers never see a partial
/// file; a file that cannot be read back (truncated, another format) is treated as absent and rewritten.
/// </summary>
/// <remarks>
/// Format (little-endian): magic <c>HARNESSDS</c>, format version (int32), fingerprint, class names, notes, Bayes
/// accuracy (flag + double), then the training set and each named test set: count, channels, height, width, labels
/// (int32), sources and groups (strings), pixels (float32, N*C*H*W). Strings are length-prefixed UTF-8.
/// Set <c>HARNESS_CACHE_DIR=off</c> to switch the cache off.
/// </remarks>
/// <param name="directory">Folder of the cache files (created when first written).</param>
public sealed class DatasetDiskCache(string directory)
{
    private const string Magic = "HARNESSDS";
    private const int FormatVersion = 1;

    /// <summary>The environment variable naming the cache folder (<c>off</c> disables the cache).</summary>
    public const string EnvironmentVariable = "HARNESS_CACHE_DIR";

    /// <summary>Folder of the cache files.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The cache the environment asks for: <c>$HARNESS_CACHE_DIR</c>, else <c>~/.cache/harness/datasets</c>; null when it is <c>off</c>.</summary>
    public static DatasetDiskCache? FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.Equals(configured, "off", StringComparison.OrdinalIgnoreCase)) return null;
        if (!string.IsNullOrWhiteSpace(configured)) return new DatasetDiskCache(configured);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new DatasetDiskCache(Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "harness", "datasets"));
    }

    /// <summary>The file of <paramref name="fingerprint"/>.</summary>
    public string PathOf(string fingerprint) => Path.Combine(Directory, fingerprint + ".bin");

    /// <summary>The cached data set, or null when absent or unreadable.</summary>
    public PreparedDataset? TryRead(string fingerprint)
    {
        var path = PathOf(fingerprint);
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 20);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion) return null;
            if (reader.ReadString() != fingerprint) return null;
            var classes = ReadStrings(reader);
            var noteCount = reader.ReadInt32();
            var notes = new SortedDictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < noteCount; i++) notes[reader.ReadString()] = reader.ReadString();
            double? bayes = reader.ReadBoolean() ? reader.ReadDouble() : null;
            var train = ReadImages(reader);
            var testCount = reader.ReadInt32();
            var tests = new List<NamedImages>();
            for (var i = 0; i < testCount; i++) tests.Add(new NamedImages(reader.ReadString(), ReadImages(reader)));
            if (stream.Position != stream.Length) return null;
            return new PreparedDataset(classes, train, tests, fingerprint, notes, bayes);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or InvalidDataException or ArgumentException or OutOfMemoryException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="dataset"/> under its fingerprint (atomically: temporary file, then rename).</summary>
    public void Write(PreparedDataset dataset)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(dataset.Fingerprint);
        var temp = path + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(Magic);
                writer.Write(FormatVersion);
                writer.Write(dataset.Fingerprint);
                WriteStrings(writer, dataset.ClassNames);
                writer.Write(dataset.Notes.Count);
                foreach (var (key, value) in dataset.Notes.OrderBy(n => n.Key, StringComparer.Ordinal))
                {
                    writer.Write(key);
                    writer.Write(value);
                }
                writer.Write(dataset.BayesOptimalAccuracy.HasValue);
                if (dataset.BayesOptimalAccuracy is { } bayes) writer.Write(bayes);
                WriteImages(writer, dataset.Train);
                writer.Write(dataset.Tests.Count);
                foreach (var test in dataset.Tests)
                {
                    writer.Write(test.Name);
                    WriteImages(writer, test.Images);
                }
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written only costs time: the data set is still returned.
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
        }
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyList<string> strings)
    {
        writer.Write(strings.Count);
        foreach (var s in strings) writer.Write(s);
    }

    private static string[] ReadStrings(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0) throw new InvalidDataException("negative count");
        var result = new string[count];
        for (var i = 0; i < count; i++) result[i] = reader.ReadString();
        return result;
    }

    private static void WriteImages(BinaryWriter writer, LabeledImages images)
    {
        writer.Write(images.Count);
        writer.Write(images.Channels);
        writer.Write(images.Height);
        writer.Write(images.Width);
        writer.Write(MemoryMarshal.AsBytes(images.Labels.AsSpan()));
        WriteStrings(writer, images.Sources);
        WriteStrings(writer, images.Groups);
        writer.Write(MemoryMarshal.AsBytes(images.Pixels.AsSpan()));
    }

    private static LabeledImages ReadImages(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var channels = reader.ReadInt32();
        var height = reader.ReadInt32();
        var width = reader.ReadInt32();
        if (count < 0 || channels <= 0 || height <= 0 || width <= 0) throw new InvalidDataException("bad image set header");
        var labels = new int[count];
        ReadExactly(reader, MemoryMarshal.AsBytes(labels.AsSpan()));
        var sources = ReadStrings(reader);
        var groups = ReadStrings(reader);
        if (sources.Length != count || groups.Length != count) throw new InvalidDataException("bad source or group count");
        var pixels = new float[(long)count * channels * height * width];
        ReadExactly(reader, MemoryMarshal.AsBytes(pixels.AsSpan()));
        return new LabeledImages(pixels, labels, channels, height, width, sources, groups);
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination) => reader.BaseStream.ReadExactly(destination);
}
