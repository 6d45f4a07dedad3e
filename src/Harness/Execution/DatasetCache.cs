using System.Text.Json;
using Harness.Data;
using Harness.Specs;

namespace Harness.Execution;

/// <summary>
/// Prepared datasets of this process, one per (data, image) pair, so the seeds of a condition decode their images
/// once; behind it the on-disk <see cref="DatasetDiskCache"/> (by default <c>$HARNESS_CACHE_DIR</c> or
/// <c>~/.cache/harness/datasets</c>; <c>HARNESS_CACHE_DIR=off</c> disables it; <c>HARNESS_CACHE_MAX_GB</c> bounds it), so
/// other processes and later runs read the prepared tensors instead of decoding again.
/// </summary>
/// <param name="specDirectory">Folder of the spec file; relative data paths resolve against it.</param>
/// <param name="disk">The on-disk cache; null takes <see cref="DatasetDiskCache.FromEnvironment()"/>.</param>
public sealed class DatasetCache(string specDirectory, DatasetDiskCache? disk = null)
{
    private readonly DatasetDiskCache? diskCache = disk ?? DatasetDiskCache.FromEnvironment();

    private readonly Dictionary<string, PreparedDataset> prepared = new(StringComparer.Ordinal);

    /// <summary>The prepared data of <paramref name="data"/> under <paramref name="image"/>.</summary>
    public PreparedDataset Get(DataSpec data, ImageSpec image)
    {
        string key = JsonSerializer.Serialize(new { data, image });
        if (!prepared.TryGetValue(key, out var dataset))
        {
            if (prepared.Count >= 2) prepared.Clear(); // bound memory: conditions are planned one after another
            dataset = DatasetLoader.Load(data, image, specDirectory, diskCache);
            prepared[key] = dataset;
        }
        return dataset;
    }
}
