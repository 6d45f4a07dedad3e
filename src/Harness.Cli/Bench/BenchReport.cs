using System.Text.Json.Serialization;

namespace Harness.Cli.Bench;

/// <summary>
/// What one bench worker process measured: one JSON line, the same keys as <c>scripts/bench/anchor.py</c> prints.
/// With <see cref="SeedParallel"/> K &gt; 1 the image throughputs count all K members' images (per-seed equivalent).
/// <see cref="WeightsSha256"/> (harness only) fingerprints the trained parameters and batch-norm statistics,
/// so that a change made for speed can be shown to train exactly the same numbers as before.
/// </summary>
internal sealed record BenchReport(
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("train_images")] int TrainImages,
    [property: JsonPropertyName("eval_images")] int EvalImages,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("eval_batch_size")] int EvaluationBatchSize,
    [property: JsonPropertyName("channels_last")] bool ChannelsLast,
    [property: JsonPropertyName("seed_parallel")] int SeedParallel,
    [property: JsonPropertyName("setup_s")] double SetupSeconds,
    [property: JsonPropertyName("full_run_s")] double FullRunSeconds,
    [property: JsonPropertyName("train_img_per_s")] double TrainImagesPerSecond,
    [property: JsonPropertyName("eval_img_per_s")] double EvalImagesPerSecond,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMegabytes,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, string> Versions,
    [property: JsonPropertyName("epochs")] IReadOnlyList<BenchEpoch> Epochs,
    [property: JsonPropertyName("weights_sha256")] string? WeightsSha256 = null);
