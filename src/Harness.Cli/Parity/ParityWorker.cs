using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Harness.Cli.Bench;
using Harness.Data;
using Harness.Models;
using Harness.Native;
using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli.Parity;

/// <summary>
/// Trains a <see cref="ParityWorkload"/> through the harness's real <see cref="Trainer"/> (the code path of
/// <c>harness run</c>: its data order, learning-rate schedule, loss, L2 penalty, optimizer step and channels-last
/// batches; no files or sinks) and writes everything PyTorch needs to replay the same run and compare
/// (<c>scripts/parity/parity.py</c>): the initial weights, the images and labels, the batches the trainer drew, the
/// loss of every step and the final weights, described by <c>manifest.json</c>.
/// </summary>
internal static class ParityWorker
{
    private const int Seed = 1;

    /// <summary>The optimizers compared: Adam as the published deep networks used it, and the published AlexNet's SGD.</summary>
    public static OptimizerSpec Optimizer(string name) => name switch
    {
        "adam" => new OptimizerSpec("adam", 1e-3, Epsilon: 1e-7),
        "sgd" => new OptimizerSpec("sgd", 0.01, Momentum: 0.9, Decay: 0.3, L2: 0.0005),
        _ => throw new ArgumentException($"unknown parity optimizer '{name}' (adam, sgd)"),
    };

    /// <summary>
    /// Trains <paramref name="workload"/> with <paramref name="optimizerName"/> for at least <paramref name="steps"/>
    /// steps (whole epochs) in <paramref name="dtype"/> on <paramref name="threads"/> CPU threads, and writes the
    /// record into <paramref name="outDir"/>. Returns the manifest.
    /// </summary>
    public static ParityManifest Run(ParityWorkload workload, string optimizerName, int steps, ScalarType dtype, int threads, string outDir)
    {
        if (!BitConverter.IsLittleEndian) throw new ArgumentException("the parity files are little-endian; this machine is not");
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        var optimizerSpec = Optimizer(optimizerName);
        int epochs = (steps + workload.BatchesPerEpoch - 1) / workload.BatchesPerEpoch;
        var spec = Spec(workload, optimizerSpec, epochs, threads);

        var images = RandomImages.Of(workload.TrainImages, workload.Shape, Seed);
        using var train = new DeviceImages(images, CPU);
        using var init = new Generator((ulong)RunSeeds.Initialization(Seed));
        using var network = ModelRegistry.Create(workload.Architecture, workload.Shape, spec.Init, init);
        network.to(dtype);
        var initial = Snapshot(network);
        var recorder = new ParityRecorder(network, dtype, train, spec);
        using var optimizer = OptimizerFactory.Create(optimizerSpec, network.parameters());
        var trainer = new Trainer(spec, network, optimizer, train, []);
        var running = trainer.Train().Select(m => m.TrainLossRunning).ToList();
        var final = Snapshot(network);

        CheckDataOrder(recorder.Batches, workload, epochs);
        CheckLosses(recorder, running, workload);

        Directory.CreateDirectory(outDir);
        Write(Path.Combine(outDir, "images.f32"), images.Pixels.AsSpan());
        Write(Path.Combine(outDir, "labels.i64"), images.Labels.Select(l => (long)l).ToArray().AsSpan());
        Write(Path.Combine(outDir, "batches.i64"), recorder.Batches.SelectMany(b => b).ToArray().AsSpan());
        Write(Path.Combine(outDir, "losses.f64"), recorder.Losses.ToArray().AsSpan());
        Write(Path.Combine(outDir, "initial.f64"), initial.SelectMany(p => p.Values).ToArray().AsSpan());
        Write(Path.Combine(outDir, "final.f64"), final.SelectMany(p => p.Values).ToArray().AsSpan());

        long offset = 0;
        var parameters = new List<ParityParameter>();
        foreach (var p in initial)
        {
            parameters.Add(new ParityParameter(p.Name, p.Shape, offset));
            offset += p.Values.Length;
        }
        var manifest = new ParityManifest(workload.Architecture, optimizerName, dtype == ScalarType.Float64 ? "float64" : "float32",
            [workload.Shape.Channels, workload.Shape.Height, workload.Shape.Width], workload.Shape.Classes,
            workload.TrainImages, workload.BatchSize, epochs, recorder.Losses.Count, Seed, threads,
            new ParityOptimizer(optimizerSpec.Name, optimizerSpec.LearningRate, optimizerSpec.Beta1, optimizerSpec.Beta2,
                optimizerSpec.Epsilon ?? 0, optimizerSpec.Momentum, optimizerSpec.Decay, optimizerSpec.L2),
            recorder.Batches.Select(b => b.Length).ToArray(), running, parameters,
            new Dictionary<string, string>(TorchRuntime.Versions()) { ["num_threads"] = torch.get_num_threads().ToString(CultureInfo.InvariantCulture) });
        File.WriteAllText(Path.Combine(outDir, "manifest.json"), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
        return manifest;
    }

    private static RunSpec Spec(ParityWorkload workload, OptimizerSpec optimizer, int epochs, int threads)
    {
        var shape = workload.Shape;
        return new RunSpec("parity", "parity", new DataSpec(null), null, workload.Architecture,
            new ImageSpec(shape.Height, shape.Width, shape.Channels == 1 ? ColorMode.Mono : ColorMode.Rgb),
            epochs, workload.BatchSize, optimizer, InitScheme.Keras, "cpu", threads, Seed,
            new Dictionary<string, string>(), "parity");
    }

    /// <summary>
    /// The batches the trainer drew must be the consecutive slices of each epoch's permutation from
    /// <see cref="RunSeeds.DataOrder"/>: a check that the recorder saw the trainer's data order, not some other one.
    /// </summary>
    private static void CheckDataOrder(IReadOnlyList<long[]> batches, ParityWorkload workload, int epochs)
    {
        var drawn = batches.SelectMany(b => b).ToArray();
        var expected = new List<long>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            using var order = new Generator((ulong)RunSeeds.DataOrder(Seed, epoch));
            using var permutation = torch.randperm(workload.TrainImages, generator: order);
            expected.AddRange(permutation.data<long>().ToArray());
        }
        if (batches.Count != epochs * workload.BatchesPerEpoch || !drawn.SequenceEqual(expected))
            throw new InvalidDataException("the batches the trainer drew are not the slices of its per-epoch data order (RunSeeds.DataOrder)");
    }

    /// <summary>The recorded step losses must average, per epoch, to the trainer's own running loss.</summary>
    private static void CheckLosses(ParityRecorder recorder, IReadOnlyList<double> running, ParityWorkload workload)
    {
        int perEpoch = workload.BatchesPerEpoch;
        for (int epoch = 0; epoch < running.Count; epoch++)
        {
            double sum = 0;
            for (int b = epoch * perEpoch; b < (epoch + 1) * perEpoch; b++) sum += recorder.Losses[b] * recorder.Batches[b].Length;
            double mean = sum / workload.TrainImages;
            if (Math.Abs(mean - running[epoch]) > 1e-9 * Math.Abs(running[epoch]))
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {epoch + 1}: the recorded step losses average {mean:R}, the trainer's running loss is {running[epoch]:R}"));
        }
    }

    /// <summary>Every parameter in registration order (conv weight, conv bias, ... as PyTorch's Sequential lists them), as float64.</summary>
    private static List<(string Name, long[] Shape, double[] Values)> Snapshot(nn.Module network)
    {
        using var _ = torch.no_grad();
        return network.named_parameters().Select(p =>
        {
            using var values = p.parameter.detach().to(ScalarType.Float64).contiguous();
            return (p.name, p.parameter.shape, values.data<double>().ToArray());
        }).ToList();
    }

    private static void Write<T>(string path, ReadOnlySpan<T> values) where T : unmanaged =>
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(values).ToArray());
}
