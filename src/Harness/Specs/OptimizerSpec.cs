namespace Harness.Specs;

/// <summary>
/// The optimizer. <c>adam</c> uses <see cref="LearningRate"/>, <see cref="Beta1"/>, <see cref="Beta2"/>,
/// <see cref="Epsilon"/>; <c>sgd</c> uses <see cref="LearningRate"/>, <see cref="Momentum"/> and Keras-style
/// time decay <see cref="Decay"/> (lr_t = lr / (1 + decay * t), t = batches so far). <see cref="L2"/> is a
/// kernel penalty added to the loss as l2 * sum(w^2) over conv and dense weights (Keras form).
/// </summary>
/// <param name="Name"><c>adam</c> or <c>sgd</c>.</param>
/// <param name="LearningRate">Initial learning rate.</param>
/// <param name="Beta1">Adam beta 1.</param>
/// <param name="Beta2">Adam beta 2.</param>
/// <param name="Epsilon">Adam epsilon; resolved from the init scheme when the spec omits it (Keras 1e-7, torch 1e-8).</param>
/// <param name="Momentum">SGD momentum.</param>
/// <param name="Decay">SGD Keras-style time decay per batch.</param>
/// <param name="L2">L2 kernel penalty (0 = none).</param>
public sealed record OptimizerSpec(
    string Name,
    double LearningRate,
    double Beta1 = 0.9,
    double Beta2 = 0.999,
    double? Epsilon = null,
    double Momentum = 0.0,
    double Decay = 0.0,
    double L2 = 0.0);
