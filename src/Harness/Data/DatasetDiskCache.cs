using System.Collections;
using System.Globalization;
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
/// <para>
/// The folder is bounded by <see cref="MaxBytes"/> (<c>$HARNESS_CACHE_MAX_GB</c>, default 50 GB): after each write the
/// least recently used files are removed until the folder fits, never the file just written. Recency is the file's
/// last-write time, which every successful read sets to now: unlike the access time it is kept by every file system,
/// including those mounted <c>noatime</c>. Deleting a file another process is reading is safe on Linux (the reader
/// keeps its open file); a delete that fails is skipped. Temporary files older than a day, left by writers that
/// crashed before their rename, are removed at the same time.
/// </para>
/// </remarks>
/// <param name="directory">Folder of the cache files (created when first written).</param>
/// <param name="maxBytes">Size limit of the folder's cache files, in bytes.</param>
public sealed class DatasetDiskCache(string directory, long maxBytes = DatasetDiskCache.DefaultMaxBytes)
{
    private const string Magic = "HARNESSDS";
    private const int FormatVersion = 1;
    private const string Extension = ".bin";
    private const string TemporaryMarker = ".tmp-";

    /// <summary>The environment variable naming the cache folder (<c>off</c> disables the cache).</summary>
    public const string EnvironmentVariable = "HARNESS_CACHE_DIR";

    /// <summary>The environment variable bounding the cache folder, in gigabytes (10^9 bytes).</summary>
    public const string MaxSizeVariable = "HARNESS_CACHE_MAX_GB";

    /// <summary>The size limit when <c>$HARNESS_CACHE_MAX_GB</c> is not set: 50 GB.</summary>
    public const long DefaultMaxBytes = 50_000_000_000;

    /// <summary>Temporary files older than this were left by a writer that crashed, and are removed.</summary>
    public static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromDays(1);

    /// <summary>Folder of the cache files.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Size limit of the folder's cache files, in bytes; the least recently used files beyond it are removed after a write.</summary>
    public long MaxBytes { get; } = maxBytes > 0 ? maxBytes : throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, "the cache size limit must be positive");

    /// <summary>
    /// The cache <paramref name="environment"/> asks for: <c>$HARNESS_CACHE_DIR</c>, else <c>~/.cache/harness/datasets</c>,
    /// bounded by <c>$HARNESS_CACHE_MAX_GB</c> (default 50); null when <c>HARNESS_CACHE_DIR</c> is <c>off</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><c>HARNESS_CACHE_MAX_GB</c> is not a positive number.</exception>
    public static DatasetDiskCache? FromEnvironment(IDictionary environment)
    {
        var configured = environment[EnvironmentVariable] as string;
        if (string.Equals(configured, "off", StringComparison.OrdinalIgnoreCase)) return null;
        var maxBytes = ParseMaxGigabytes(environment[MaxSizeVariable] as string);
        if (!string.IsNullOrWhiteSpace(configured)) return new DatasetDiskCache(configured, maxBytes);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new DatasetDiskCache(Path.Combine(string.IsNullOrEmpty(home) ? Path.GetTempPath() : home, ".cache", "harness", "datasets"), maxBytes);
    }

    /// <summary>As <see cref="FromEnvironment(IDictionary)"/> with the process environment.</summary>
    /// <exception cref="ArgumentException"><c>HARNESS_CACHE_MAX_GB</c> is not a positive number.</exception>
    public static DatasetDiskCache? FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariables());

    /// <summary>The size limit in bytes of a <c>HARNESS_CACHE_MAX_GB</c> value (gigabytes, 10^9 bytes; decimals allowed); unset or blank gives the default.</summary>
    /// <exception cref="ArgumentException">The value is not a positive number.</exception>
    public static long ParseMaxGigabytes(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return DefaultMaxBytes;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var gigabytes)
            || !double.IsFinite(gigabytes) || gigabytes <= 0 || gigabytes * 1e9 >= long.MaxValue || (long)(gigabytes * 1e9) < 1)
            throw new ArgumentException(
                $"{MaxSizeVariable}='{value}' is not a size in gigabytes: give a positive number such as 50 (the default) or 0.5; " +
                $"to switch the cache off, set {EnvironmentVariable}=off");
        return (long)(gigabytes * 1e9);
    }

    /// <summary>The file of <paramref name="fingerprint"/>.</summary>
    public string PathOf(string fingerprint) => Path.Combine(Directory, fingerprint + Extension);

    /// <summary>The cached data set, or null when absent or unreadable; a successful read marks the file as recently used.</summary>
    public PreparedDataset? TryRead(string fingerprint)
    {
        var path = PathOf(fingerprint);
        if (!File.Exists(path)) return null;
        var dataset = ReadFile(path, fingerprint);
        if (dataset is not null) MarkUsed(path);
        return dataset;
    }

    private static PreparedDataset? ReadFile(string path, string fingerprint)
    {
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
        var temp = path + TemporaryMarker + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N");
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
            return;
        }
        EvictLeastRecentlyUsed(keep: path);
    }

    /// <summary>
    /// Removes the least recently used cache files until the folder is within <see cref="MaxBytes"/>, never
    /// <paramref name="keep"/>, and the temporary files of crashed writers. Never throws: a file that cannot be
    /// removed (another user's, a race with another process's eviction) is skipped, and the run goes on.
    /// </summary>
    private void EvictLeastRecentlyUsed(string keep)
    {
        var now = DateTime.UtcNow;
        var entries = new List<(string Path, long Bytes, DateTime LastUsed)>();
        try
        {
            foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
            {
                try
                {
                    if (file.Name.Contains(TemporaryMarker, StringComparison.Ordinal))
                    {
                        // Another writer's file in progress is young; one older than a day lost its writer.
                        if (now - file.LastWriteTimeUtc > StaleTemporaryAge) file.Delete();
                    }
                    else if (file.Name.EndsWith(Extension, StringComparison.Ordinal))
                    {
                        entries.Add((file.FullName, file.Length, file.LastWriteTimeUtc));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Removed or renamed meanwhile by another process, or not ours to delete.
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        var total = entries.Sum(e => e.Bytes);
        foreach (var (path, bytes, _) in entries.OrderBy(e => e.LastUsed).ThenBy(e => e.Path, StringComparer.Ordinal))
        {
            if (total <= MaxBytes) break;
            if (string.Equals(path, keep, StringComparison.Ordinal)) continue;
            try
            {
                File.Delete(path);
                total -= bytes;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary>Records a use of <paramref name="path"/> for eviction; a file we may not touch (another user's) keeps its time.</summary>
    private static void MarkUsed(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
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
        WritePixels(writer, images.Pixels);
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
        ReadPixels(reader, pixels);
        return new LabeledImages(pixels, labels, channels, height, width, sources, groups);
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> destination) => reader.BaseStream.ReadExactly(destination);

    /// <summary>
    /// Floats per piece of <see cref="WritePixels"/> and <see cref="ReadPixels"/>: a byte view of a whole image set over
    /// 2 GB (e.g. 3,840 RGB images of 256 x 256) would overflow a span's length, so pixels go through in pieces of 64 MB.
    /// </summary>
    internal const int PixelChunk = 1 << 24;

    /// <summary>Writes <paramref name="pixels"/> as raw little-endian floats, <paramref name="chunk"/> floats at a time.</summary>
    internal static void WritePixels(BinaryWriter writer, float[] pixels, int chunk = PixelChunk)
    {
        for (long start = 0; start < pixels.LongLength; start += chunk)
        {
            var length = (int)Math.Min(chunk, pixels.LongLength - start);
            writer.Write(MemoryMarshal.AsBytes(pixels.AsSpan((int)start, length)));
        }
    }

    /// <summary>Fills <paramref name="pixels"/> from raw floats written by <see cref="WritePixels"/>, <paramref name="chunk"/> floats at a time.</summary>
    internal static void ReadPixels(BinaryReader reader, float[] pixels, int chunk = PixelChunk)
    {
        for (long start = 0; start < pixels.LongLength; start += chunk)
        {
            var length = (int)Math.Min(chunk, pixels.LongLength - start);
            ReadExactly(reader, MemoryMarshal.AsBytes(pixels.AsSpan((int)start, length)));
        }
    }
}
