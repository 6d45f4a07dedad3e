namespace Harness.Training;

/// <summary>Where training is inside an epoch, for progress displays.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
public readonly record struct BatchProgress(int Epoch, int Batch, int Batches)
{
    /// <summary>
    /// Batches in one epoch of <paramref name="images"/> images: ceil(images / batch size), at least one for a
    /// non-empty set. A batch larger than the set is one batch of the whole set, as in Keras. Computed in 64 bits:
    /// <c>images + batchSize - 1</c> in 32 bits wrapped to a negative count for batch sizes near int.MaxValue, and
    /// such runs "finished" without one training step.
    /// </summary>
    public static int BatchesPerEpoch(int images, int batchSize) =>
        batchSize < 1 ? throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "a batch holds at least one image")
            : (int)(((long)images + batchSize - 1) / batchSize);
}
