using Harness.Specs;

namespace Harness.Data.Sources;

/// <summary>
/// Every data source a spec can name, one line each. The spec loader reads a condition's <c>data:</c> keys from here,
/// <see cref="DatasetLoader"/> fingerprints and loads through the entry of a spec's source, and run records name it
/// through it; so a new source is its spec record, its <see cref="DataSource{TSpec}"/> and one line below (and its row
/// in the README's table of data sources, which a test holds to this list).
/// </summary>
internal static class DataSources
{
    /// <summary>The sources, in the order errors and the README list them.</summary>
    public static IReadOnlyList<IDataSource> All { get; } =
    [
        new SyntheticDataSource(), new FolderDataSource(), new IdxDataSource(), new Cifar10DataSource(), new MontageDataSource(),
    ];

    /// <summary>Every source's key, in the order of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Keys => All.Select(s => s.Key).ToArray();

    /// <summary>The keys as a sentence lists them: <c>synthetic, folders, idx, cifar10 or montage</c>.</summary>
    public static string KeyList => Keys.Count == 1 ? Keys[0] : $"{string.Join(", ", Keys.SkipLast(1))} or {Keys[^1]}";

    /// <summary>The source that reads <paramref name="spec"/>'s record type.</summary>
    public static IDataSource Of(IDataSourceSpec spec) =>
        All.FirstOrDefault(s => s.SpecType == spec.GetType())
        ?? throw new ArgumentException($"{spec.GetType().Name} is no registered data source's spec (Harness.Data.Sources.DataSources)", nameof(spec));
}
