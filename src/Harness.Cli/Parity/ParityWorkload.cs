using Harness.Models;

namespace Harness.Cli.Parity;

/// <summary>
/// One parity workload: an architecture at an input shape, a small synthetic training set and its batch size, and
/// the default number of optimizer steps. The sets are small on purpose: parity runs in float64, where libtorch has
/// no fast convolutions, and must stay a few seconds per side. The image count is not a multiple of the batch, so
/// every epoch ends with the trainer's smaller last batch.
/// </summary>
/// <param name="Architecture">The architecture's name in the <see cref="ModelRegistry"/>.</param>
/// <param name="Shape">Input channels, height, width and classes.</param>
/// <param name="TrainImages">Synthetic training images.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="Steps">Default number of optimizer steps (rounded up to whole epochs).</param>
internal sealed record ParityWorkload(string Architecture, ModelShape Shape, int TrainImages, int BatchSize, int Steps)
{
    /// <summary>Every workload's name, in the order <c>make parity</c> runs them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["deep", "deep-fmnist", "cifar-small"];

    /// <summary>
    /// The workloads by name. <c>deep</c> has eight 2 x 2 pools, so 256 x 256 is the smallest input it can be built
    /// for (at 64 x 64 its seventh pool has a 1 x 1 input); it takes five images in batches of two because a float64
    /// step of two images costs about 0.3 s in the harness and 0.5 s in PyTorch 1.13 on one core.
    /// </summary>
    public static ParityWorkload Named(string name) => name switch
    {
        "deep" => new("deep", new ModelShape(3, 256, 256, 2), 5, 2, 120),
        "deep-fmnist" => new("deep-fmnist", new ModelShape(1, 28, 28, 10), 60, 8, 200),
        "cifar-small" => new("cifar-small", new ModelShape(3, 32, 32, 10), 60, 8, 200),
        _ => throw new ArgumentException($"unknown parity workload '{name}' ({string.Join(", ", Names)})"),
    };

    /// <summary>Training batches per epoch (the last one smaller when the images do not fill it).</summary>
    public int BatchesPerEpoch => (TrainImages + BatchSize - 1) / BatchSize;
}
