namespace Harness.Specs;

/// <summary>A named folder, e.g. a test set <c>snf7_2: data/NN_snf7_2</c>.</summary>
/// <param name="Name">Name used in metric columns (<c>test_NAME_accuracy</c>).</param>
/// <param name="Path">Folder path.</param>
public sealed record NamedPath(string Name, string Path);
