using System.Text.Json.Serialization;

namespace Harness.Cli.Parity;

/// <summary>
/// <c>manifest.json</c> of a parity run: what was trained and how, and how to read the raw little-endian files beside
/// it (<c>images.f32</c> N x C x H x W, <c>labels.i64</c>, <c>batches.i64</c> the image indices of every step in
/// order, <c>losses.f64</c> one per step, <c>initial.f64</c> and <c>final.f64</c> every parameter at its offset).
/// </summary>
internal sealed record ParityManifest(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("optimizer_name")] string OptimizerName,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("input")] int[] Input,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("train_images")] int TrainImages,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("epochs")] int Epochs,
    [property: JsonPropertyName("steps")] int Steps,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("optimizer")] ParityOptimizer Optimizer,
    [property: JsonPropertyName("batch_lengths")] int[] BatchLengths,
    [property: JsonPropertyName("running_loss")] IReadOnlyList<double> RunningLoss,
    [property: JsonPropertyName("parameters")] IReadOnlyList<ParityParameter> Parameters,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, string> Versions);
