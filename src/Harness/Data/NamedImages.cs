namespace Harness.Data;

/// <summary>A named test set.</summary>
/// <param name="Name">Name (<c>test</c> for the default held-out set).</param>
/// <param name="Images">Its images.</param>
public sealed record NamedImages(string Name, LabeledImages Images);
