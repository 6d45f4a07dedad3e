namespace Harness.Specs;

/// <summary>
/// What a condition's <c>data:</c> names as its one source (<see cref="SyntheticDataSpec"/>, <see cref="FolderDataSpec"/>,
/// ...): an immutable record read from the spec. The code that reads, fingerprints and loads each kind is its
/// <c>Harness.Data.Sources.IDataSource</c>, found through the registry by the record's type, so the spec types stay data.
/// </summary>
public interface IDataSourceSpec;
