namespace Harness.Specs;

/// <summary>
/// Which framework's defaults a run follows: <see cref="Keras"/> (the published originals: Glorot-uniform
/// weights, zero biases, Adam epsilon 1e-7, batch-norm epsilon 1e-3 and momentum 0.99, L2 added to the loss)
/// or <see cref="Torch"/> (PyTorch/TorchSharp defaults).
/// </summary>
public enum InitScheme
{
    /// <summary>Keras defaults, as the published networks used.</summary>
    Keras,
    /// <summary>PyTorch defaults.</summary>
    Torch,
}
