namespace Harness.Training;

/// <summary>What an epoch's batch loop saw while the weights moved (Keras's running numbers), per member.</summary>
/// <param name="Loss">Each member's mean training loss over the epoch's batches (L2 term included), weighted by batch size.</param>
/// <param name="Accuracy">Each member's fraction of its training images classified correctly when its batch went through.</param>
/// <param name="LearningRate">The learning rate of the epoch's last step (one schedule for every member).</param>
internal sealed record RunningEpoch(IReadOnlyList<double> Loss, IReadOnlyList<double> Accuracy, double LearningRate);
