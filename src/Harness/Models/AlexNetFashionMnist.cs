namespace Harness.Models;

/// <summary>
/// <c>alexnet-fmnist</c>: <see cref="AlexNetClone"/> for 1 x 28 x 28 Fashion-MNIST with only the first max-pool kept
/// and 10 outputs. 10,040,714 trainable parameters (Keras total 10,041,418).
/// </summary>
public sealed class AlexNetFashionMnist : IArchitecture
{
    /// <inheritdoc />
    public string Name => "alexnet-fmnist";
    /// <inheritdoc />
    public string Description => "AlexNet clone for 28x28 Fashion-MNIST: only the first max-pool kept, 10 classes";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(1, 28, 28, 10);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => AlexNetClone.Classifier(input
        .Conv(96, kernel: 11, stride: 4, same: false).Pool(3, 2).BatchNorm()
        .Conv(256, kernel: 5).BatchNorm()
        .Conv(384).Conv(384).Conv(256));
}
