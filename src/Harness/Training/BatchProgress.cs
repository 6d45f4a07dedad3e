namespace Harness.Training;

/// <summary>Where training is inside an epoch, for progress displays.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches);
