namespace Harness.Specs;

/// <summary>Synthetic fluorescence cell images, deterministic from <see cref="DataSeed"/>.</summary>
/// <param name="Preset"><c>snap29-like</c> (clear pattern, two colours) or <c>snf7-like</c> (weak pattern, one colour).</param>
/// <param name="TrainPerClass">Training images per class (with <see cref="Fields"/>: what the fields give).</param>
/// <param name="TestPerClass">Test images per class, per test set (with <see cref="Fields"/>: what the fields give).</param>
/// <param name="DataSeed">Seed of the image generator; the dataset is the same for every training seed.</param>
/// <param name="Size">Side of the generated square images (tiles) in pixels (they are then resized to the image spec).</param>
/// <param name="Fields">
/// The published recipe (fields, 8-bit stretch, tiles, rotated copies, held-out test fields; see <see cref="SyntheticFieldsSpec"/>);
/// null: independent images, one per cell group, no rotation (<c>train_per_class</c> / <c>test_per_class</c>, quick tests).
/// </param>
public sealed record SyntheticDataSpec(string Preset, int TrainPerClass, int TestPerClass, int DataSeed = 0, int Size = 256,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] SyntheticFieldsSpec? Fields = null) : IDataSourceSpec;
