using System.Text.Json.Serialization;

namespace Harness.Specs;

/// <summary>
/// Where a condition's images come from. Exactly one source is set: <see cref="Synthetic"/> (embedded
/// generator, the default), <see cref="Folders"/> (class-per-folder images), <see cref="Idx"/> (MNIST-style IDX
/// files), <see cref="Cifar10"/> (CIFAR-10 binary batches) or <see cref="Montage"/> (montages of single-cell
/// tiles, one file per channel).
/// </summary>
/// <remarks>The members added after <see cref="TrainSubset"/> are left out of a run's canonical JSON when they
/// hold their defaults, so adding them did not change the RunIds of existing specs.</remarks>
/// <param name="Synthetic">Synthetic fluorescence cells.</param>
/// <param name="Folders">Class-per-folder image directories.</param>
/// <param name="TrainSubset">Draw this many training images per seed (the published "one batch of 400").</param>
/// <param name="SkipUnreadable">Skip files that cannot be decoded (counted and listed in the notes) instead of refusing to start.</param>
/// <param name="Augment">Seeded on-the-fly augmentation of training images, per epoch (see <c>Harness.Data.Augmentation</c>).</param>
/// <param name="Idx">IDX files (MNIST, Fashion-MNIST).</param>
/// <param name="Cifar10">CIFAR-10 binary batches.</param>
/// <param name="Montage">Montages of single-cell tiles (imaging flow cytometry exports).</param>
public sealed record DataSpec(
    SyntheticDataSpec? Synthetic,
    FolderDataSpec? Folders,
    int? TrainSubset = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool SkipUnreadable = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] AugmentSpec? Augment = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] IdxDataSpec? Idx = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] Cifar10DataSpec? Cifar10 = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] MontageDataSpec? Montage = null)
{
    /// <summary>Number of sources set (a valid spec has exactly one).</summary>
    [JsonIgnore]
    public int SourceCount =>
        (Synthetic is null ? 0 : 1) + (Folders is null ? 0 : 1) + (Idx is null ? 0 : 1) + (Cifar10 is null ? 0 : 1) + (Montage is null ? 0 : 1);
}
