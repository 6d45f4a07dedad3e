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
    LayerStack Build(ModelShape shape);
}
