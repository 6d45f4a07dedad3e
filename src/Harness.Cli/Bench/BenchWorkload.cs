using Harness.Models;

namespace Harness.Cli.Bench;

/// <summary>
/// One benchmark workload: an architecture at its input shape with the training and test set sizes and batch
/// sizes the anchor script (<c>scripts/bench/anchor.py</c>) uses too.
/// </summary>
internal sealed record BenchWorkload(string Architecture, ModelShape Shape, int TrainImages, int TestImages, int BatchSize, int EvaluationBatchSize)
{
    /// <summary>The workloads by name: <c>deep</c> (3 x 256 x 256, 2 classes) and <c>deep-fmnist</c> (1 x 28 x 28, 10 classes).</summary>
    public static BenchWorkload Named(string name) => name switch
    {
        "deep" => new("deep", new ModelShape(3, 256, 256, 2), 400, 200, 20, 200),
        "deep-fmnist" => new("deep-fmnist", new ModelShape(1, 28, 28, 10), 10_000, 10_000, 64, 200),
        _ => throw new ArgumentException($"unknown workload '{name}' (deep, deep-fmnist)"),
    };
}
