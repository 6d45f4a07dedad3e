namespace Harness.Models;

/// <summary>
/// <c>alexnet</c>, the published AlexNet clone: Conv96 11x11/4 valid, pool 3/2, BN, Conv256 5x5, pool 3/2, BN,
/// Conv384, Conv384, Conv256, pool 3/2, Dropout 0.5, Dense2048 x 2 (each after dropout), output.
/// 26,824,770 trainable parameters at 3 x 256 x 256 (Keras total 26,825,474 with the BN moving statistics).
/// Trained with SGD (momentum 0.9, lr 0.01, time decay 0.3) and L2 0.0005 on every conv and dense kernel.
/// </summary>
public sealed class AlexNetClone : IArchitecture
{
    /// <inheritdoc />
    public string Name => "alexnet";
    /// <inheritdoc />
    public string Description => "AlexNet clone (Conv96/11 s4, BN, Conv256/5, BN, Conv384 x2, Conv256, Dropout 0.5, Dense2048 x2)";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 256, 256, 2);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => Classifier(input
        .Conv(96, kernel: 11, stride: 4, same: false).Pool(3, 2).BatchNorm()
        .Conv(256, kernel: 5).Pool(3, 2).BatchNorm()
        .Conv(384).Conv(384).Conv(256).Pool(3, 2));

    /// <summary>The dense part shared with <see cref="AlexNetFashionMnist"/>.</summary>
    internal static LayerStack Classifier(LayerStack s) => s
        .FlattenFeatures().DropoutLayer(0.5).Dense(2048).DropoutLayer(0.5).Dense(2048).Output();
}
