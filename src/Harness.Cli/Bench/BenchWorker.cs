using System.Diagnostics;
using Harness.Data;
using Harness.Models;
using Harness.Native;
using Harness.Specs;
using Harness.Training;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli.Bench;

/// <summary>
/// Trains a workload on synthetic random images through the harness's own <see cref="Trainer"/>,
/// <see cref="Evaluation"/> and <see cref="DeviceImages"/> (exactly the code path of <c>harness run</c>, minus
/// files and sinks) and times each phase: setup, every training batch, and the per-epoch clean evaluation.
/// </summary>
internal static class BenchWorker
{
    /// <summary>
    /// Runs <paramref name="epochs"/> epochs of <paramref name="workload"/> on the CPU with <paramref name="threads"/>
    /// threads through the run session's <see cref="TrainingGroup"/>; with <paramref name="seedParallel"/> K &gt; 1,
    /// seeds 1..K fused (each with its own data order), and the throughputs count every member's images (so they
    /// compare per seed with a sequential run).
    /// </summary>
    public static BenchReport Run(BenchWorkload workload, int threads, int epochs, bool channelsLast, int seedParallel = 1)
    {
        var setup = Stopwatch.StartNew();
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var train = RandomImages.Of(workload.TrainImages, workload.Shape, 1);
        var test = RandomImages.Of(workload.TestImages, workload.Shape, 2);
        var specs = Enumerable.Range(1, seedParallel).Select(seed => BenchSpec(workload, epochs, threads, workload.Optimizer, seed)).ToArray();
        using var group = TrainingGroup.Create(specs, Enumerable.Repeat(train, seedParallel).ToArray(), [("test", test)],
            workload.Shape.Classes, CPU, workload.EvaluationBatchSize, channelsLast);
        double setupSeconds = setup.Elapsed.TotalSeconds;
        var measured = Time(workload, seedParallel, (onBatch, epochEnded) =>
        {
            foreach (var epoch in group.Train(0, onBatch, CancellationToken.None))
            {
                var first = epoch[0].Metrics ?? throw epoch[0].Divergence!;
                epochEnded(first.Epoch, first.TrainLossRunning);
            }
        });
        return Report(workload, threads, group.ChannelsLast, seedParallel, setupSeconds, measured) with { WeightsSha256 = Fingerprint(group) };
    }

    private static RunSpec BenchSpec(BenchWorkload workload, int epochs, int threads, OptimizerSpec optimizer, int seed)
    {
        var shape = workload.Shape;
        return new RunSpec("bench", "bench", new DataSpec(null), null, workload.Architecture,
            new ImageSpec(shape.Height, shape.Width, shape.Channels == 1 ? ColorMode.Mono : ColorMode.Rgb),
            epochs, workload.BatchSize, optimizer, InitScheme.Keras, "cpu", threads, seed,
            new Dictionary<string, string>(), "bench");
    }

    /// <summary>
    /// Times the epochs <paramref name="train"/> runs (it reports each batch and each epoch's end); throughputs
    /// count <paramref name="members"/> x the images, so a fused run compares per seed with a single one.
    /// </summary>
    private static List<BenchEpoch> Time(BenchWorkload workload, int members, Action<Action<BatchProgress>, Action<int, double>> train)
    {
        var clock = Stopwatch.StartNew();
        var batchEnds = new List<double>();
        var measured = new List<BenchEpoch>();
        double epochStart = 0;
        int evalImages = workload.TrainImages + workload.TestImages;
        train(_ => batchEnds.Add(clock.Elapsed.TotalSeconds), (epoch, runningLoss) =>
        {
            double end = clock.Elapsed.TotalSeconds, lastBatch = batchEnds[^1];
            var batches = batchEnds.Select((t, i) => t - (i == 0 ? epochStart : batchEnds[i - 1])).ToArray();
            double trainSeconds = lastBatch - epochStart, evalSeconds = end - lastBatch;
            measured.Add(new BenchEpoch(epoch, trainSeconds, batches[0], Median(batches), evalSeconds, end - epochStart,
                (double)members * workload.TrainImages / trainSeconds, (double)members * evalImages / evalSeconds, runningLoss));
            batchEnds.Clear();
            epochStart = clock.Elapsed.TotalSeconds;
        });
        return measured;
    }

    private static BenchReport Report(BenchWorkload workload, int threads, bool channelsLast, int members, double setupSeconds, List<BenchEpoch> measured)
    {
        var first = measured[0];
        var versions = new Dictionary<string, string>(TorchRuntime.Versions()) { ["num_threads"] = torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return new BenchReport("harness", workload.Architecture, threads, workload.TrainImages, workload.TrainImages + workload.TestImages,
            workload.BatchSize, workload.EvaluationBatchSize, channelsLast, members, setupSeconds, first.EpochSeconds,
            Median(measured.Select(e => e.TrainImagesPerSecond).ToArray()), Median(measured.Select(e => e.EvalImagesPerSecond).ToArray()),
            PeakRssMegabytes(), versions, measured);
    }

    /// <summary>SHA-256 of every parameter and buffer of every member of <paramref name="group"/>, in order, as raw bytes.</summary>
    private static string Fingerprint(ITrainingGroup group)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        for (int m = 0; m < group.Members; m++)
        {
            foreach (var (_, tensor) in group.Member(m).state_dict())
            {
                using var contiguous = tensor.detach().contiguous();
                hash.AppendData(contiguous.bytes);
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>The process's resident-set high-water mark (VmHWM), in MiB; NaN where /proc is missing.</summary>
    private static double PeakRssMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return double.NaN;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        if (line is null) return double.NaN;
        var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
        return double.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }
}
