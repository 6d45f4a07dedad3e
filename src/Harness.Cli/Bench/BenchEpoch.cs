using System.Text.Json.Serialization;

namespace Harness.Cli.Bench;

/// <summary>Timings of one epoch of the bench worker, split into the trainer's phases.</summary>
/// <param name="Epoch">1-based epoch (epoch 1 includes the warm-up of libtorch's kernels and allocator).</param>
/// <param name="TrainSeconds">From the start of the epoch to the end of its last training batch.</param>
/// <param name="FirstBatchSeconds">The first training batch alone.</param>
/// <param name="MedianBatchSeconds">Median training batch.</param>
/// <param name="EvalSeconds">From the last training batch to the epoch's metrics: the clean measurement of the training set and the test set.</param>
/// <param name="EpochSeconds">Train + evaluation.</param>
/// <param name="TrainImagesPerSecond">Training images / <paramref name="TrainSeconds"/>.</param>
/// <param name="EvalImagesPerSecond">Evaluated images (training set + test set) / <paramref name="EvalSeconds"/>.</param>
/// <param name="TrainLossRunning">The epoch's running loss (a sanity check that training happened).</param>
internal sealed record BenchEpoch(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("train_s")] double TrainSeconds,
    [property: JsonPropertyName("first_batch_s")] double FirstBatchSeconds,
    [property: JsonPropertyName("median_batch_s")] double MedianBatchSeconds,
    [property: JsonPropertyName("eval_s")] double EvalSeconds,
    [property: JsonPropertyName("epoch_s")] double EpochSeconds,
    [property: JsonPropertyName("train_img_per_s")] double TrainImagesPerSecond,
    [property: JsonPropertyName("eval_img_per_s")] double EvalImagesPerSecond,
    [property: JsonPropertyName("train_loss_running")] double TrainLossRunning);
