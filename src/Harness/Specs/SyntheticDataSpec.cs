namespace Harness.Specs;

/// <summary>Synthetic fluorescence cell images, deterministic from <see cref="DataSeed"/>.</summary>
/// <param name="Preset"><c>snap29-like</c> (clear pattern, two colours) or <c>snf7-like</c> (weak pattern, one colour).</param>
/// <param name="TrainPerClass">Training images per class.</param>
/// <param name="TestPerClass">Test images per class.</param>
/// <param name="DataSeed">Seed of the image generator; the dataset is the same for every training seed.</param>
/// <param name="Size">Side of the generated square images in pixels (they are then resized to the image spec).</param>
public sealed record SyntheticDataSpec(string Preset, int TrainPerClass, int TestPerClass, int DataSeed = 0, int Size = 256);
