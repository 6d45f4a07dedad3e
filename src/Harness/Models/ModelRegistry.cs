using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Models;

/// <summary>The architectures by name.</summary>
public static class ModelRegistry
{
    private static readonly IReadOnlyList<IArchitecture> All =
    [
        new DeepNetwork(), new Deep50Network(), new AlexNetClone(), new DeepFashionMnist(),
        new AlexNetFashionMnist(), new CifarSmall(), new CifarDeeper(), new CifarDropout(),
    ];

    /// <summary>Every architecture name, in the order of the published table.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    /// <summary>Whether <paramref name="name"/> is a known architecture.</summary>
    public static bool Contains(string name) => All.Any(a => a.Name == name);

    /// <summary>The architecture called <paramref name="name"/>.</summary>
    public static IArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new ArgumentException($"unknown architecture '{name}'; known: {string.Join(", ", Names)}");

    /// <summary>Builds <paramref name="name"/> for <paramref name="shape"/>, initialized from <paramref name="generator"/> only.</summary>
    public static SequentialNetwork Create(string name, ModelShape shape, InitScheme init, Generator generator) =>
        new(name, Get(name).Build(shape), init, generator);

    /// <summary>The summary of <paramref name="name"/> for <paramref name="shape"/>, without allocating weights for a forward pass.</summary>
    public static ModelSummary Summarize(string name, ModelShape shape)
    {
        var stack = Get(name).Build(shape);
        var summary = new ModelSummary(name, shape, stack.Summary);
        foreach (var (_, module) in stack.Layers) module.Dispose();
        return summary;
    }
}
