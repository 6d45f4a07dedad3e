using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>
/// The architectures by name: one <see cref="IArchitecture"/> per file, one line each in <see cref="All"/>. Spec
/// validation, the plan and <c>harness models</c> read the names from here, so adding an architecture is that file and
/// that line (and its row in the README's table of architectures, which a test holds to this list).
/// </summary>
public static class ModelRegistry
{
    private static readonly IReadOnlyList<IArchitecture> All =
    [
        new DeepNetwork(), new Deep50Network(), new AlexNetClone(), new DeepFashionMnist(),
        new AlexNetFashionMnist(), new CifarSmall(), new CifarDeeper(), new CifarDropout(),
    ];

    /// <summary>Every architecture name, in the order of the published table.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    /// <summary>The architecture called <paramref name="name"/>.</summary>
    public static IArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name) ?? throw new ArgumentException(Unknown(name));

    /// <summary>Why <paramref name="name"/> names no architecture, with every name that does (a spec error says the same).</summary>
    public static string Unknown(string name) => $"unknown architecture '{name}'; known: {string.Join(", ", Names)}";

    /// <summary>Builds <paramref name="name"/> for <paramref name="shape"/>, initialized from <paramref name="generator"/> only.</summary>
    public static SequentialNetwork Create(string name, ModelShape shape, InitScheme init, Generator generator) =>
        new(name, Get(name).Build(shape), init, generator);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> MinimumSides = new(StringComparer.Ordinal);

    /// <summary>
    /// Why <paramref name="name"/> cannot take <paramref name="height"/> x <paramref name="width"/> inputs, or null when it can.
    /// Uses the very arithmetic of the build (a shapes-only <see cref="LayerStack"/>: no libtorch, no weights), so
    /// a spec is refused exactly when its runs would fail before their first epoch.
    /// </summary>
    public static string? InputTooSmall(string name, int height, int width)
    {
        if (Fits(name, height, width)) return null;
        return $"{height} x {width} is too small for '{name}': it needs at least {MinimumSide(name)} x {MinimumSide(name)} " +
               "(each pool halves the image, each valid convolution trims it)";
    }

    /// <summary>The smallest side of a square input <paramref name="name"/> accepts (sides are reduced independently, so it bounds each).</summary>
    public static int MinimumSide(string name) => MinimumSides.GetOrAdd(name, n =>
    {
        for (int side = 1; side <= 1 << 16; side++)
            if (Fits(n, side, side)) return side;
        throw new InvalidOperationException($"'{n}' accepts no input up to {1 << 16} pixels");
    });

    private static bool Fits(string name, int height, int width)
    {
        try
        {
            Get(name).Build(new ModelShape(1, height, width, 2), shapesOnly: true);
            return true;
        }
        catch (ArgumentException) { return false; }
    }

    /// <summary>The summary of <paramref name="name"/> for <paramref name="shape"/>, without allocating weights for a forward pass.</summary>
    public static ModelSummary Summarize(string name, ModelShape shape)
    {
        var stack = Get(name).Build(shape);
        var summary = new ModelSummary(name, shape, stack.Summary);
        foreach (var (_, module) in stack.Layers) module.Dispose();
        return summary;
    }
}
