namespace Harness.Models;

/// <summary><c>cifar-deeper</c>: <see cref="CifarSmall"/> with a third Conv32 after the second pool. 36,138 parameters.</summary>
public sealed class CifarDeeper : IArchitecture
{
    /// <inheritdoc />
    public string Name => "cifar-deeper";
    /// <inheritdoc />
    public string Description => "cifar-small with a third Conv32 after the second pool";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 32, 32, 10);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => Features(input).FlattenFeatures().Dense(32).Output();

    /// <summary>The convolutional part shared with <see cref="CifarDropout"/>.</summary>
    internal static LayerStack Features(LayerStack s) => s
        .Conv(32, same: false).Pool().Conv(32, same: false).Pool().Conv(32, same: false);
}
