namespace Harness.Training;

/// <summary>
/// What one extra forward pass of a fixed batch of training images (evaluation mode) says about a network's health
/// after an epoch: how much of it is dead, and whether its outputs still depend on the input.
/// </summary>
/// <param name="DeadUnitFraction">Dead ReLU units over all ReLU units of the network (see <see cref="LayerDeadUnits"/>).</param>
/// <param name="LogitSpread">
/// Standard deviation, across the probe images, of the difference between each image's two largest logits; zero when
/// the network gives every image the same output (a network that cannot be learning anything).
/// </param>
/// <param name="Layers">Per ReLU layer, in network order.</param>
public sealed record ProbeMetrics(double DeadUnitFraction, double LogitSpread, IReadOnlyList<LayerDeadUnits> Layers);
