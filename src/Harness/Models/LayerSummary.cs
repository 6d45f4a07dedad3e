namespace Harness.Models;

/// <summary>One row of a Keras-style model summary.</summary>
/// <param name="Name">Layer name (<c>conv1</c>, <c>pool1</c>, <c>fc1</c>).</param>
/// <param name="Kind">Layer type as Keras names it (Conv2D, MaxPooling2D, Dense, ...).</param>
/// <param name="OutputShape">Output shape without the batch dimension, channels first.</param>
/// <param name="Trainable">Trainable parameters.</param>
/// <param name="NonTrainable">Non-trainable values (batch-norm moving mean and variance).</param>
public sealed record LayerSummary(string Name, string Kind, IReadOnlyList<int> OutputShape, long Trainable, long NonTrainable);
