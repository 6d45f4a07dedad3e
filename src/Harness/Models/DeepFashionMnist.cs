namespace Harness.Models;

/// <summary>
/// <c>deep-fmnist</c>: the deep network for 1 x 28 x 28 Fashion-MNIST, the later pools removed:
/// Conv16-Pool-Conv16-Pool-Conv16-Pool-Conv32-Pool-Conv32-Conv32-Conv64-Conv64-Conv64, Dense512, Dense50, Dense10.
/// 179,728 parameters.
/// </summary>
public sealed class DeepFashionMnist : IArchitecture
{
    /// <inheritdoc />
    public string Name => "deep-fmnist";
    /// <inheritdoc />
    public string Description => "deep network for 28x28 Fashion-MNIST (later pools removed), Dense512, Dense50, 10 classes";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(1, 28, 28, 10);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => input
        .Conv(16).Pool().Conv(16).Pool().Conv(16).Pool().Conv(32).Pool()
        .Conv(32).Conv(32).Conv(64).Conv(64).Conv(64)
        .FlattenFeatures().Dense(512).Dense(50).Output();
}
