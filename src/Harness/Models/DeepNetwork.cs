namespace Harness.Models;

/// <summary>
/// <c>deep</c>, the main network of the study: eight 3x3 conv (ReLU, same padding) and 2x2 pool stages, Dense512
/// and the output. No batch norm, no dropout, no weight decay. 154,882 parameters at 3 x 256 x 256, 2 classes.
/// </summary>
public sealed class DeepNetwork : IArchitecture
{
    /// <inheritdoc />
    public string Name => "deep";
    /// <inheritdoc />
    public string Description => "main network of the study: 8 conv/pool stages (16-16-16-32-32,32-64-64-64), Dense512, softmax";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 256, 256, 2);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => Features(input).FlattenFeatures().Dense(512).Output();

    /// <summary>The convolutional part shared with <see cref="Deep50Network"/>.</summary>
    internal static LayerStack Features(LayerStack s) => s
        .Conv(16).Pool().Conv(16).Pool().Conv(16).Pool().Conv(32).Pool()
        .Conv(32).Conv(32).Pool().Conv(64).Pool().Conv(64).Pool().Conv(64).Pool();
}
