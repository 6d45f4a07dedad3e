using System.Collections;
using Harness.Data;

namespace Harness.Tests.Data;

/// <summary>The size bound of the on-disk tensor cache: least recently used files go first, crashed writers' leftovers too.</summary>
public sealed class DatasetDiskCacheTests
{
    /// <summary>A small prepared data set (ten 10 x 10 mono images, about 4 KB on disk) under <paramref name="fingerprint"/>.</summary>
    private static PreparedDataset Dataset(string fingerprint)
    {
        const int images = 10;
        var pixels = Enumerable.Range(0, images * 100).Select(i => i / 1000f).ToArray();
        var sources = Enumerable.Range(0, images).Select(i => $"cell_{i}.png").ToArray();
        var train = new LabeledImages(pixels, new int[images], 1, 10, 10, sources, sources);
        return new PreparedDataset(["snap29"], train, [], fingerprint, new SortedDictionary<string, string>(StringComparer.Ordinal), null);
    }

    /// <summary>Writes the data sets through an unbounded cache, each last used <c>hours</c> ago; returns the size of one file.</summary>
    private static long WriteUsedHoursAgo(string folder, params (string Fingerprint, int Hours)[] sets)
    {
        var unbounded = new DatasetDiskCache(folder);
        foreach (var (fingerprint, hours) in sets)
        {
            unbounded.Write(Dataset(fingerprint));
            File.SetLastWriteTimeUtc(unbounded.PathOf(fingerprint), DateTime.UtcNow.AddHours(-hours));
        }
        return new FileInfo(unbounded.PathOf(sets[0].Fingerprint)).Length;
    }

    [Fact]
    public void Writing_past_the_limit_removes_the_least_recently_used_file_and_keeps_the_newest()
    {
        using var temp = new TempFolder();
        var size = WriteUsedHoursAgo(temp.Path, ("oldest", 2), ("older", 1));
        var cache = new DatasetDiskCache(temp.Path, maxBytes: size * 5 / 2); // room for two

        cache.Write(Dataset("newest"));

        Assert.False(File.Exists(cache.PathOf("oldest")));
        Assert.True(File.Exists(cache.PathOf("older")));
        Assert.True(File.Exists(cache.PathOf("newest")));
        Assert.NotNull(cache.TryRead("newest"));
    }

    [Fact]
    public void A_read_makes_a_file_recently_used_so_it_outlives_a_later_unread_one()
    {
        using var temp = new TempFolder();
        var size = WriteUsedHoursAgo(temp.Path, ("oldest", 2), ("older", 1));
        var cache = new DatasetDiskCache(temp.Path, maxBytes: size * 5 / 2);

        Assert.NotNull(cache.TryRead("oldest"));
        cache.Write(Dataset("newest"));

        Assert.True(File.Exists(cache.PathOf("oldest")));
        Assert.False(File.Exists(cache.PathOf("older")));
        Assert.True(File.Exists(cache.PathOf("newest")));
    }

    [Fact]
    public void A_data_set_larger_than_the_limit_is_kept_and_everything_older_goes()
    {
        using var temp = new TempFolder();
        var size = WriteUsedHoursAgo(temp.Path, ("a", 2), ("b", 1));
        var cache = new DatasetDiskCache(temp.Path, maxBytes: size / 2);

        cache.Write(Dataset("c"));

        Assert.Equal([cache.PathOf("c")], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Temporary_files_of_crashed_writers_go_after_a_day_while_young_ones_and_other_files_stay()
    {
        using var temp = new TempFolder();
        var cache = new DatasetDiskCache(temp.Path);
        var crashed = Path.Combine(temp.Path, "abc.bin.tmp-4242-0123456789abcdef");
        var writing = Path.Combine(temp.Path, "def.bin.tmp-4343-0123456789abcdef");
        var unrelated = Path.Combine(temp.Path, "README.txt");
        foreach (var file in new[] { crashed, writing, unrelated }) File.WriteAllText(file, "partial");
        File.SetLastWriteTimeUtc(crashed, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(unrelated, DateTime.UtcNow.AddDays(-30));

        cache.Write(Dataset("fresh"));

        Assert.False(File.Exists(crashed));
        Assert.True(File.Exists(writing));
        Assert.True(File.Exists(unrelated));
        Assert.True(File.Exists(cache.PathOf("fresh")));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("50GB")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("NaN")]
    public void An_invalid_size_limit_is_reported_with_the_variable_and_its_value(string value)
    {
        var environment = new Hashtable { [DatasetDiskCache.EnvironmentVariable] = "/tmp/harness-cache", [DatasetDiskCache.MaxSizeVariable] = value };

        var e = Assert.Throws<ArgumentException>(() => DatasetDiskCache.FromEnvironment(environment));

        Assert.Contains("HARNESS_CACHE_MAX_GB", e.Message);
        Assert.Contains($"'{value}'", e.Message);
    }

    [Fact]
    public void The_size_limit_is_read_in_gigabytes_with_a_default_of_50()
    {
        Hashtable WithLimit(string? gigabytes) => new() { [DatasetDiskCache.EnvironmentVariable] = "/tmp/harness-cache", [DatasetDiskCache.MaxSizeVariable] = gigabytes };

        Assert.Equal(50_000_000_000, DatasetDiskCache.FromEnvironment(WithLimit(null))!.MaxBytes);
        Assert.Equal(50_000_000_000, DatasetDiskCache.FromEnvironment(WithLimit(" "))!.MaxBytes);
        Assert.Equal(500_000_000, DatasetDiskCache.FromEnvironment(WithLimit("0.5"))!.MaxBytes);
        Assert.Equal(200_000_000_000, DatasetDiskCache.FromEnvironment(WithLimit("200"))!.MaxBytes);
        Assert.Null(DatasetDiskCache.FromEnvironment(new Hashtable { [DatasetDiskCache.EnvironmentVariable] = "off" }));
    }

    [Fact]
    public void This_test_run_caches_its_data_sets_in_a_temporary_folder_not_the_users_home()
    {
        var cache = DatasetDiskCache.FromEnvironment();

        if (TestDatasetCache.Folder is null) return; // the caller chose HARNESS_CACHE_DIR for this run
        Assert.Equal(TestDatasetCache.Folder, cache!.Directory);
        Assert.StartsWith(Path.GetFullPath(Path.GetTempPath()), cache.Directory);
    }

    [Theory]
    [InlineData(7)]    // pieces that do not divide the length
    [InlineData(1000)] // one piece, the whole array
    [InlineData(1)]
    public void Pixels_go_to_disk_and_back_in_pieces_value_for_value(int chunk)
    {
        var pixels = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i) * 1e3f).ToArray();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) DatasetDiskCache.WritePixels(writer, pixels, chunk);
        Assert.Equal(pixels.Length * sizeof(float), stream.Length);

        stream.Position = 0;
        var back = new float[pixels.Length];
        using (var reader = new BinaryReader(stream)) DatasetDiskCache.ReadPixels(reader, back, chunk);
        Assert.Equal(pixels, back);
    }

    [Fact]
    public void A_piece_of_pixels_stays_under_the_two_gigabyte_span_limit()
    {
        // 3,840 RGB tiles of 256 x 256 (six training fields per class) are 3 GB: written whole, the byte span overflowed.
        Assert.True((long)DatasetDiskCache.PixelChunk * sizeof(float) < int.MaxValue);
    }
}
