using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Harness.Data;

/// <summary>
/// Reads CIFAR-10's binary version: each batch file is a run of 3,073-byte records (one label byte, then 1,024
/// red, 1,024 green and 1,024 blue bytes of a 32 x 32 image, row-major). Training: <c>data_batch_1.bin</c> ..
/// <c>data_batch_5.bin</c> (10,000 images each); test: <c>test_batch.bin</c>. Class names come from
/// <c>batches.meta.txt</c> when present. When the batches are missing, the official archive is downloaded and its
/// MD5 checked; offline, the error names the file to place by hand and where.
/// </summary>
public static class Cifar10Reader
{
    /// <summary>The official archive.</summary>
    public const string ArchiveUrl = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    /// <summary>MD5 of the official archive, as published on the CIFAR page.</summary>
    public const string ArchiveMd5 = "c32a1d4ab5d03f1284b67883e8d87530";

    /// <summary>The archive's file name.</summary>
    public const string ArchiveName = "cifar-10-binary.tar.gz";

    /// <summary>Bytes per record.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>The CIFAR-10 class names, label order (prefixed with the label so the ordinal sort is the label order).</summary>
    public static IReadOnlyList<string> DefaultClassNames { get; } =
        ["0_airplane", "1_automobile", "2_bird", "3_cat", "4_deer", "5_dog", "6_frog", "7_horse", "8_ship", "9_truck"];

    /// <summary>The training batch file names.</summary>
    public static IReadOnlyList<string> TrainBatches { get; } = ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test batch file name.</summary>
    public const string TestBatch = "test_batch.bin";

    /// <summary>The folder holding the batches: <paramref name="root"/> itself or its <c>cifar-10-batches-bin</c> subfolder; null when neither has them.</summary>
    public static string? FindBatches(string root)
    {
        foreach (var dir in new[] { root, Path.Combine(root, "cifar-10-batches-bin") })
            if (File.Exists(Path.Combine(dir, TestBatch)) && TrainBatches.All(b => File.Exists(Path.Combine(dir, b)))) return dir;
        return null;
    }

    /// <summary>
    /// The batches folder under <paramref name="root"/>, extracting <c>cifar-10-binary.tar.gz</c> found there or,
    /// when <paramref name="download"/>, downloading it first (MD5 checked). Throws <see cref="DataException"/>
    /// naming the file to place by hand when that is impossible.
    /// </summary>
    public static string EnsureBatches(string root, bool download, HttpClient? http = null)
    {
        if (FindBatches(root) is { } found) return found;
        var archive = Path.Combine(root, ArchiveName);
        if (!File.Exists(archive))
        {
            var byHand = $"Place {ArchiveName} (from {ArchiveUrl}, MD5 {ArchiveMd5}) in {Path.GetFullPath(root)}, or its extracted cifar-10-batches-bin folder there.";
            if (!download) throw new DataException($"CIFAR-10 batches not found under {Path.GetFullPath(root)} and download is off. {byHand}");
            Directory.CreateDirectory(root);
            var partial = archive + ".part-" + Guid.NewGuid().ToString("N");
            try
            {
                var client = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
                try
                {
                    using var response = client.GetAsync(ArchiveUrl, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
                    response.EnsureSuccessStatusCode();
                    using var body = response.Content.ReadAsStream();
                    using var file = File.Create(partial);
                    body.CopyTo(file);
                }
                finally
                {
                    if (http is null) client.Dispose();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                TryDelete(partial);
                throw new DataException($"Could not download CIFAR-10 from {ArchiveUrl} ({e.Message}); offline? {byHand}");
            }
            var md5 = Md5Of(partial);
            if (md5 != ArchiveMd5)
            {
                TryDelete(partial);
                throw new DataException($"Downloaded {ArchiveName} has MD5 {md5}, expected {ArchiveMd5}; it was deleted. {byHand}");
            }
            File.Move(partial, archive, overwrite: true);
        }
        else if (Md5Of(archive) is var md5 && md5 != ArchiveMd5)
        {
            throw new DataException($"{archive} has MD5 {md5}, expected {ArchiveMd5} (incomplete or a different file); replace it with the official {ArchiveName} from {ArchiveUrl}.");
        }
        var staging = Path.Combine(root, ".extract-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var gz = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress))
                TarFile.ExtractToDirectory(gz, staging, overwriteFiles: true);
            var extracted = Path.Combine(staging, "cifar-10-batches-bin");
            var target = Path.Combine(root, "cifar-10-batches-bin");
            if (!Directory.Exists(target)) Directory.Move(extracted, target);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return FindBatches(root) ?? throw new DataException($"{archive} did not hold the CIFAR-10 batches.");
    }

    /// <summary>Reads records from batch files, in order, up to <paramref name="maxCount"/> images: pixels (N x 3 x 32 x 32 bytes) and labels.</summary>
    public static (byte[] Pixels, int[] Labels) ReadBatches(IReadOnlyList<string> files, int? maxCount = null)
    {
        var pixels = new List<byte[]>();
        var labels = new List<int>();
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new DataException($"Bad CIFAR-10 batch {file}: {e.Message}");
            }
            if (bytes.Length == 0 || bytes.Length % RecordSize != 0)
                throw new DataException($"Bad CIFAR-10 batch {file}: {bytes.Length} bytes is not a whole number of {RecordSize}-byte records (truncated or corrupt)");
            for (var offset = 0; offset < bytes.Length && (maxCount is null || labels.Count < maxCount); offset += RecordSize)
            {
                var label = bytes[offset];
                if (label > 9) throw new DataException($"Bad CIFAR-10 batch {file}: record {offset / RecordSize} has label {label} (0-9 expected)");
                labels.Add(label);
                pixels.Add(bytes[(offset + 1)..(offset + RecordSize)]);
            }
            if (maxCount is not null && labels.Count >= maxCount) break;
        }
        byte[] all;
        try
        {
            all = new byte[ImageLimits.BufferLength("CIFAR-10 images", pixels.Count, RecordSize - 1)];
        }
        catch (InvalidDataException e)
        {
            throw new DataException($"CIFAR-10 batches {string.Join(", ", files)}: {e.Message}; set train_count / test_count lower");
        }
        for (var i = 0; i < pixels.Count; i++) pixels[i].CopyTo(all, i * (RecordSize - 1));
        return (all, labels.ToArray());
    }

    /// <summary>Class names from <c>batches.meta.txt</c> in <paramref name="batchesFolder"/>, label-prefixed, or the defaults.</summary>
    public static IReadOnlyList<string> ClassNamesIn(string batchesFolder)
    {
        var meta = Path.Combine(batchesFolder, "batches.meta.txt");
        if (!File.Exists(meta)) return DefaultClassNames;
        var names = File.ReadAllLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == 10 ? names.Select((n, i) => $"{i}_{n}").ToArray() : DefaultClassNames;
    }

    private static string Md5Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
