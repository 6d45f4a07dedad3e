namespace Harness.Training;

/// <summary>
/// What one epoch of one run measured. The trainer yields one per epoch and knows nothing about where it goes.
/// </summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLossRunning">Mean training loss over the epoch's batches, as seen while the weights moved (Keras's number).</param>
/// <param name="TrainAccuracyRunning">Running training accuracy over the epoch's batches (Keras's number).</param>
/// <param name="TrainLoss">Training loss measured cleanly after the epoch (evaluation mode, fixed weights).</param>
/// <param name="TrainAccuracy">Training accuracy measured cleanly after the epoch.</param>
/// <param name="Tests">One entry per test set; the first is the primary test set.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, evaluation included.</param>
/// <param name="Probe">Dead units and output spread on the probe batch after the epoch (see <see cref="ActivationProbe"/>); null when not measured.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLossRunning,
    double TrainAccuracyRunning,
    double TrainLoss,
    double TrainAccuracy,
    IReadOnlyList<TestSetMetrics> Tests,
    double LearningRate,
    double Seconds,
    ProbeMetrics? Probe = null);
