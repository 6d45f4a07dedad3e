namespace Harness.Models;

/// <summary><c>cifar-dropout</c>: <see cref="CifarDeeper"/> with Dropout(0.2) after the third conv. 36,138 parameters; 53.07 % published on CIFAR-10.</summary>
public sealed class CifarDropout : IArchitecture
{
    /// <inheritdoc />
    public string Name => "cifar-dropout";
    /// <inheritdoc />
    public string Description => "cifar-deeper with Dropout(0.2) after the third conv (published: 53.07 % on CIFAR-10, 5,000 images)";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 32, 32, 10);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => CifarDeeper.Features(input).DropoutLayer(0.2).FlattenFeatures().Dense(32).Output();
}
