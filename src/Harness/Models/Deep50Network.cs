namespace Harness.Models;

/// <summary><c>deep-50</c> ("deeper"): <see cref="DeepNetwork"/> with an extra Dense50 before the output. 179,608 parameters at 3 x 256 x 256.</summary>
public sealed class Deep50Network : IArchitecture
{
    /// <inheritdoc />
    public string Name => "deep-50";
    /// <inheritdoc />
    public string Description => "deep with an extra Dense50 (ReLU) before the output; best test accuracy, monocolour experiments";
    /// <inheritdoc />
    public ModelShape PublishedShape => new(3, 256, 256, 2);

    /// <inheritdoc />
    public LayerStack Build(LayerStack input) => DeepNetwork.Features(input).FlattenFeatures().Dense(512).Dense(50).Output();
}
