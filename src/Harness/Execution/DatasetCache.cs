using System.Text.Json;
using Harness.Data;
using Harness.Specs;

namespace Harness.Execution;

/// <summary>Prepared datasets of this process, one per (data, image) pair, so the seeds of a condition decode their images once.</summary>
/// <param name="specDirectory">Folder of the spec file; relative data paths resolve against it.</param>
public sealed class DatasetCache(string specDirectory)
{
    private readonly Dictionary<string, PreparedDataset> prepared = new(StringComparer.Ordinal);

    /// <summary>The prepared data of <paramref name="data"/> under <paramref name="image"/>.</summary>
    public PreparedDataset Get(DataSpec data, ImageSpec image)
    {
        string key = JsonSerializer.Serialize(new { data, image });
        if (!prepared.TryGetValue(key, out var dataset))
        {
            if (prepared.Count >= 2) prepared.Clear(); // bound memory: conditions are planned one after another
            dataset = DatasetLoader.Load(data, image, specDirectory);
            prepared[key] = dataset;
        }
        return dataset;
    }
}
