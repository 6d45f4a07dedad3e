namespace Harness.Models;

/// <summary><c>cifar-small</c>: Conv32-Pool-Conv32-Pool (valid padding), Dense32, Dense10. 47,370 parameters at 3 x 32 x 32.</summary>
public sealed class CifarSmall : IArchitecture
{
    /// <inheritdoc />
    public string Name => "cifar-small";
    /// <inheritdoc />
    public string Description => "small CIFAR-10 network: Conv32-Pool-Conv32-Pool (valid), Dense32, 10 classes";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 32, 32, 10);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => input
        .Conv(32, same: false).Pool().Conv(32, same: false).Pool()
        .FlattenFeatures().Dense(32).Output();
}
