using Harness.Specs;

namespace Harness.Data.Sources;

/// <summary>
/// One kind of data a condition's <c>data:</c> can name (synthetic cells, image folders, IDX files, ...): how its block
/// is read and checked, what of it enters the data fingerprint, how its images are prepared, and how an MLflow dataset
/// input names it. Each kind is one class (see <see cref="DataSource{TSpec}"/>) beside its spec record, registered by
/// one line in <see cref="DataSources"/>; the spec loader, <see cref="DatasetLoader"/> and the run records ask the
/// registry, so none of them names a kind.
/// </summary>
internal interface IDataSource
{
    /// <summary>The key under a condition's <c>data:</c> (<c>synthetic</c>, <c>folders</c>, ...).</summary>
    string Key { get; }

    /// <summary>The spec record this source reads (one type per source: the registry finds a source by it).</summary>
    Type SpecType { get; }

    /// <summary>The record's member name in a run's JSON and YAML (<c>Synthetic</c>, <c>Cifar10</c>): the key in PascalCase, as the naming policies expect.</summary>
    string Member => string.Concat(Key.Split('_').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>
    /// True for the sources a run's canonical JSON writes even when another source is set (as null): synthetic and
    /// folders were members of the data record from the start and their nulls are part of existing RunIds. Every
    /// later source is written only when set, so adding one changes no RunId.
    /// </summary>
    bool AlwaysInRunJson { get; }

    /// <summary>Reads and checks the source's block (<paramref name="block"/>, at key path <paramref name="at"/>); relative paths resolve against <paramref name="sourcePath"/>, the spec file.</summary>
    IDataSourceSpec Read(SpecFields block, string at, string sourcePath);

    /// <summary>Adds what identifies the source's images (contents, counts, seeds, generator versions) to <paramref name="fingerprint"/>.</summary>
    void AddTo(Fingerprint fingerprint, IDataSourceSpec spec, string specDirectory);

    /// <summary>
    /// Does what must happen before the cache is asked (a missing download fetched; folder structure checked, so a
    /// cached data set never hides a folder that has since become unusable) and returns the step that reads and
    /// prepares the images when the cache does not hold them.
    /// </summary>
    Func<PreparedDataset> Open(IDataSourceSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable);

    /// <summary>How an MLflow dataset input names the source: a short name, <c>code</c> or <c>local</c>, and where it lives.</summary>
    (string Name, string Type, string Uri) Origin(IDataSourceSpec spec);
}
