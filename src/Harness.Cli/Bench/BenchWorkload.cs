using Harness.Models;
using Harness.Specs;

namespace Harness.Cli.Bench;

/// <summary>
/// One benchmark workload: an architecture at its input shape with the training and test set sizes, batch sizes and
/// optimizer the anchor script (<c>scripts/bench/anchor.py</c>) uses too.
/// </summary>
internal sealed record BenchWorkload(string Architecture, ModelShape Shape, int TrainImages, int TestImages, int BatchSize, int EvaluationBatchSize, OptimizerSpec Optimizer)
{
    /// <summary>Every workload's name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["deep", "deep-50-mono", "deep-fmnist", "alexnet", "alexnet-fmnist"];

    /// <summary>
    /// The workloads by name: <c>deep</c> (3 x 256 x 256, 2 classes), <c>deep-50-mono</c> (<c>deep-50</c> on one channel,
    /// 1 x 256 x 256: the monocolour figure F3) and <c>deep-fmnist</c> (1 x 28 x 28, 10 classes) with Adam; <c>alexnet</c> (3 x 256 x 256, 2 classes) and <c>alexnet-fmnist</c> (1 x 28 x 28, 10 classes) with
    /// the published AlexNet's SGD (momentum, Keras time decay, L2 in the loss) at the published batch of 20.
    /// </summary>
    public static BenchWorkload Named(string name) => name switch
    {
        "deep" => new("deep", new ModelShape(3, 256, 256, 2), 400, 200, 20, 200, Adam),
        "deep-50-mono" => new("deep-50", new ModelShape(1, 256, 256, 2), 400, 200, 20, 200, Adam),
        "deep-fmnist" => new("deep-fmnist", new ModelShape(1, 28, 28, 10), 10_000, 10_000, 64, 200, Adam),
        "alexnet" => new("alexnet", new ModelShape(3, 256, 256, 2), 400, 200, 20, 200, KerasSgd),
        "alexnet-fmnist" => new("alexnet-fmnist", new ModelShape(1, 28, 28, 10), 2_000, 2_000, 20, 200, KerasSgd),
        _ => throw new ArgumentException($"unknown workload '{name}' ({string.Join(", ", Names)})"),
    };

    /// <summary>Adam(1e-3) with Keras's epsilon.</summary>
    private static readonly OptimizerSpec Adam = new("adam", 1e-3, Epsilon: 1e-7);

    /// <summary>The published AlexNet's optimizer: SGD lr 0.01, momentum 0.9, Keras time decay 0.3, L2 0.0005.</summary>
    private static readonly OptimizerSpec KerasSgd = new("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005);
}
