using System.Text.Json.Serialization;

namespace Harness.Specs;

/// <summary>
/// Where a condition's images come from: one <see cref="Source"/> (synthetic cells, class-per-folder images, IDX
/// files, CIFAR-10 batches, cell montages, or any other registered in <c>Harness.Data.Sources.DataSources</c>) and how
/// each seed draws its training set from it.
/// </summary>
/// <remarks>Runs record the data block as they did when every source was a member of this record (synthetic,
/// folders, train_subset, skip_unreadable, augment, idx, cifar10, montage), so RunIds, run.yaml and MLflow params keep
/// their shape; <see cref="DataSpecJsonConverter"/> and <see cref="DataSpecYamlConverter"/> write that shape.</remarks>
/// <param name="Source">The one source; null only for runs that read no data set (benchmarks, parity workloads).</param>
/// <param name="TrainSubset">Draw this many training images per seed (the published "one batch of 400").</param>
/// <param name="SkipUnreadable">Skip files that cannot be decoded (counted and listed in the notes) instead of refusing to start.</param>
/// <param name="Augment">Seeded on-the-fly augmentation of training images, per epoch (see <c>Harness.Data.Augmentation</c>).</param>
[JsonConverter(typeof(DataSpecJsonConverter))]
public sealed record DataSpec(IDataSourceSpec? Source, int? TrainSubset = null, bool SkipUnreadable = false, AugmentSpec? Augment = null);
