using System.Diagnostics;
using Harness.Data;
using Harness.Specs;
using Xunit.Abstractions;
using Harness.Data.Sources;

namespace Harness.Tests.Data;

public sealed class StandardDatasetTests(ITestOutputHelper output)
{
    private static readonly ImageSpec Mono28 = new(28, 28, ColorMode.Mono);

    private static void WriteIdx(TempFolder temp, string prefix, int n, bool gzip)
    {
        var pixels = new byte[n * 28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 31 % 256);
        IdxReader.Write(temp.Combine(prefix + "-images"), [n, 28, 28], pixels, gzip);
        IdxReader.Write(temp.Combine(prefix + "-labels"), [n], Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray(), gzip);
    }

    [Fact]
    public void Idx_files_raw_and_gzipped_load_as_a_data_source()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, "train", 12, gzip: true);
        WriteIdx(temp, "test", 6, gzip: false);
        var spec = new DataSpec(new IdxDataSpec("train-images", "train-labels", "test-images", "test-labels", TrainCount: 9));

        var data = DatasetLoader.Load(spec, Mono28, temp.Path);

        Assert.Equal(["0", "1", "2"], data.ClassNames);
        Assert.Equal(9, data.Train.Count);
        Assert.Equal(6, data.Tests[0].Images.Count);
        Assert.Equal(31 / 255f, data.Train.Pixels[1], 5);
        Assert.Equal([0, 1, 2, 0, 1, 2], data.Tests[0].Images.Labels);
        Assert.Contains("identical to training images", data.Notes["leak_warning"]); // the test images repeat the training images
    }

    [Fact]
    public void Truncated_or_mismatched_idx_files_are_reported()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, "train", 4, gzip: false);
        var bytes = File.ReadAllBytes(temp.Combine("train-images"));
        File.WriteAllBytes(temp.Combine("cut"), bytes[..100]);

        var cut = Assert.Throws<DataException>(() => IdxReader.Read(temp.Combine("cut")));
        var notIdx = Assert.Throws<DataException>(() => IdxReader.ReadPair(temp.Combine("train-images"), temp.Combine("train-images")));

        Assert.Contains("truncated", cut.Message);
        Assert.Contains("expected 1", notIdx.Message);
    }

    [Fact]
    public void Fashion_mnist_shorthand_reads_the_installed_package()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist"))
        {
            output.WriteLine("Skipped: /usr/share/datasets/fashion-mnist is absent (apt-get install dataset-fashion-mnist).");
            return;
        }
        var files = IdxDataSource.Files(new IdxDataSpec(null, null, null, null, "fashion-mnist"), "/");
        var (pixels, labels, h, w) = IdxReader.ReadPair(files[2], files[3]);

        Assert.Equal((10000, 28, 28), (labels.Length, h, w));
        Assert.Equal(10000 * 784, pixels.Length);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, labels.Count(l => l == c)));
    }

    private static void WriteCifar(string folder, int perBatch)
    {
        Directory.CreateDirectory(folder);
        foreach (var name in Cifar10Reader.TrainBatches.Append(Cifar10Reader.TestBatch))
        {
            var bytes = new byte[perBatch * Cifar10Reader.RecordSize];
            for (var r = 0; r < perBatch; r++)
            {
                bytes[r * Cifar10Reader.RecordSize] = (byte)(r % 10);
                for (var k = 1; k < Cifar10Reader.RecordSize; k++) bytes[r * Cifar10Reader.RecordSize + k] = (byte)((k + r + name.Length) % 256);
            }
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
    }

    [Fact]
    public void Cifar_binary_batches_load_with_train_and_test_counts()
    {
        using var temp = new TempFolder();
        WriteCifar(temp.Combine("cifar", "cifar-10-batches-bin"), 4);
        var spec = new DataSpec(new Cifar10DataSpec("cifar", TrainCount: 6, Download: false));

        var data = DatasetLoader.Load(spec, new ImageSpec(32, 32, ColorMode.Rgb), temp.Path);

        Assert.Equal(10, data.ClassNames.Count);
        Assert.Equal("0_airplane", data.ClassNames[0]);
        Assert.Equal(6, data.Train.Count);
        Assert.Equal([0, 1, 2, 3, 0, 1], data.Train.Labels);
        Assert.Equal(4, data.Tests[0].Images.Count);
        Assert.Equal((1 + 0 + 16) % 256 / 255f, data.Train.Pixels[0], 5);
    }

    [Fact]
    public void Missing_cifar_offline_names_the_file_to_place_and_where()
    {
        using var temp = new TempFolder();

        var e = Assert.Throws<DataException>(() => Cifar10Reader.EnsureBatches(temp.Combine("nothing"), download: false));

        Assert.Contains(Cifar10Reader.ArchiveName, e.Message);
        Assert.Contains(temp.Combine("nothing"), e.Message);
        Assert.Contains(Cifar10Reader.ArchiveMd5, e.Message);
    }

    [Fact]
    public void Disk_cache_round_trips_and_any_input_change_selects_another_entry()
    {
        using var temp = new TempFolder();
        WriteIdx(temp, "train", 8, gzip: false);
        WriteIdx(temp, "test", 4, gzip: false);
        var cache = new DatasetDiskCache(temp.Combine("cache"));
        var spec = new DataSpec(new IdxDataSpec("train-images", "train-labels", "test-images", "test-labels"));

        var first = DatasetLoader.Load(spec, Mono28, temp.Path, cache);
        var again = DatasetLoader.Load(spec, Mono28, temp.Path, cache);
        var fingerprint = DatasetLoader.Fingerprint(spec, Mono28, temp.Path);
        WriteIdx(temp, "test", 5, gzip: false);
        var changed = DatasetLoader.Fingerprint(spec, Mono28, temp.Path);
        var resized = DatasetLoader.Fingerprint(spec, Mono28 with { Height = 14, Width = 14 }, temp.Path);

        Assert.True(File.Exists(cache.PathOf(fingerprint)));
        Assert.Equal(first.Fingerprint, fingerprint);
        Assert.Equal(first.Train.Pixels, again.Train.Pixels);
        Assert.Equal(first.Tests[0].Images.Sources, again.Tests[0].Images.Sources);
        Assert.Equal(first.Notes, again.Notes);
        Assert.Equal(first.ClassNames, again.ClassNames);
        Assert.NotEqual(fingerprint, changed);
        Assert.NotEqual(fingerprint, resized);
        File.WriteAllBytes(cache.PathOf(fingerprint), File.ReadAllBytes(cache.PathOf(fingerprint))[..50]);
        Assert.Null(cache.TryRead(fingerprint));
        Assert.Empty(Directory.GetFiles(temp.Combine("cache"), "*.tmp-*"));
    }

    [Fact]
    public void Cache_timing_for_the_256_pixel_synthetic_set_when_asked()
    {
        if (Environment.GetEnvironmentVariable("HARNESS_MEASURE_CACHE") != "1")
        {
            output.WriteLine("Skipped: set HARNESS_MEASURE_CACHE=1 to time preparing 400 + 200 synthetic 256x256 images vs reading them from the cache.");
            return;
        }
        using var temp = new TempFolder();
        var cache = new DatasetDiskCache(temp.Combine("cache"));
        var spec = new DataSpec(new SyntheticDataSpec("snap29-like", 200, 100));
        var image = new ImageSpec(256, 256, ColorMode.Rgb);
        var watch = Stopwatch.StartNew();
        var prepared = DatasetLoader.Load(spec, image, "/", cache);
        var prepare = watch.Elapsed;
        watch.Restart();
        var loaded = DatasetLoader.Load(spec, image, "/", cache);
        var load = watch.Elapsed;
        output.WriteLine($"prepare+write {prepare.TotalSeconds:F2} s, load from cache {load.TotalSeconds:F2} s, file {new FileInfo(cache.PathOf(prepared.Fingerprint)).Length / 1e6:F0} MB");
        Assert.Equal(prepared.Train.Pixels, loaded.Train.Pixels);
    }
}
