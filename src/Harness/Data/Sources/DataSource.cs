using Harness.Specs;

namespace Harness.Data.Sources;

/// <summary>
/// An <see cref="IDataSource"/> over its own spec record type: the registry hands the untyped record in, this casts it
/// once, so each source is written against its record alone.
/// </summary>
/// <typeparam name="TSpec">The source's spec record.</typeparam>
internal abstract class DataSource<TSpec> : IDataSource where TSpec : class, IDataSourceSpec
{
    /// <inheritdoc/>
    public abstract string Key { get; }

    /// <inheritdoc/>
    public Type SpecType => typeof(TSpec);

    /// <inheritdoc/>
    public virtual bool AlwaysInRunJson => false;

    /// <inheritdoc cref="IDataSource.Read"/>
    public abstract TSpec Read(SpecFields block, string at, string sourcePath);

    /// <inheritdoc cref="IDataSource.AddTo"/>
    public abstract void AddTo(Fingerprint fingerprint, TSpec spec, string specDirectory);

    /// <inheritdoc cref="IDataSource.Open"/>
    public abstract Func<PreparedDataset> Open(TSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable);

    /// <inheritdoc cref="IDataSource.Origin"/>
    public abstract (string Name, string Type, string Uri) Origin(TSpec spec);

    IDataSourceSpec IDataSource.Read(SpecFields block, string at, string sourcePath) => Read(block, at, sourcePath);

    void IDataSource.AddTo(Fingerprint fingerprint, IDataSourceSpec spec, string specDirectory) => AddTo(fingerprint, (TSpec)spec, specDirectory);

    Func<PreparedDataset> IDataSource.Open(IDataSourceSpec spec, ImageSpec image, string specDirectory, bool skipUnreadable) =>
        Open((TSpec)spec, image, specDirectory, skipUnreadable);

    (string Name, string Type, string Uri) IDataSource.Origin(IDataSourceSpec spec) => Origin((TSpec)spec);
}
