namespace Harness.Specs;

/// <summary>
/// Where a condition's images come from. Exactly one source is set: <see cref="Synthetic"/> (embedded
/// generator, the default) or <see cref="Folders"/> (class-per-folder images).
/// </summary>
/// <param name="Synthetic">Synthetic fluorescence cells.</param>
/// <param name="Folders">Class-per-folder image directories.</param>
/// <param name="TrainSubset">Draw this many training images per seed (the published "one batch of 400").</param>
public sealed record DataSpec(SyntheticDataSpec? Synthetic, FolderDataSpec? Folders, int? TrainSubset = null);
