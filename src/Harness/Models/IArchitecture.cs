namespace Harness.Models;

/// <summary>One published architecture: its name in specs, what it is, and its layer stack for a given input.</summary>
public interface IArchitecture
{
    /// <summary>Name used in specs (<c>deep</c>, <c>alexnet</c>, ...).</summary>
    string Name { get; }

    /// <summary>One line on what it is and where it was published.</summary>
    string Description { get; }

    /// <summary>The input it was published for (channels, height, width, classes), used by <c>harness models</c>.</summary>
    ModelShape PublishedShape { get; }

    /// <summary>The layers for <paramref name="shape"/>.</summary>
    LayerStack Build(ModelShape shape) => Build(new LayerStack(shape));

    /// <summary>Adds the architecture's layers to <paramref name="input"/>, an empty stack for the input shape (real or shapes-only).</summary>
    LayerStack Build(LayerStack input);

    /// <summary>The layers' shapes for <paramref name="shape"/> without creating modules (throws as a real build would for a too-small input).</summary>
    internal LayerStack Build(ModelShape shape, bool shapesOnly) => Build(new LayerStack(shape, shapesOnly));
}
