using System.Diagnostics;
using Harness.Models;
using Harness.Native;
using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Cli.Bench;

/// <summary>
/// Where the time of one training batch goes (<c>bench-worker --profile-layers</c>): the phases of the
/// <see cref="Trainer"/>'s batch loop, timed one after another in the same order, on the same network and optimizer;
/// then each layer alone, forward and backward, on the input it gets in training (in training mode, gradients on).
/// The anchor (<c>scripts/bench/anchor.py --profile-layers</c>) measures PyTorch the same way. Every number is a
/// median over <c>repeats</c> batches after a few warm-up ones; the sum of the layers is not the phases' forward and
/// backward exactly (a layer timed alone has its input in cache, and its backward starts from a given gradient).
/// </summary>
internal static class LayerProfiler
{
    private const int WarmUp = 3;

    public static LayerProfile Run(BenchWorkload workload, int threads, bool channelsLast, int repeats)
    {
        TorchRuntime.EnsureLoaded();
        torch.set_num_threads(threads);
        int batch = workload.BatchSize;
        // Enough images for every timed batch to draw distinct ones, as training does.
        using var train = new DeviceImages(RandomImages.Of(Math.Max(batch * 8, 64), workload.Shape, 1), CPU);
        using var init = new Generator((ulong)RunSeeds.Initialization(1));
        using var model = ModelRegistry.Create(workload.Architecture, workload.Shape, InitScheme.Keras, init);
        using var optimizer = OptimizerFactory.Create(workload.Optimizer, model.parameters());
        var phases = Phases(workload, model, optimizer, train, channelsLast, repeats);
        var layers = Layers(model, train, batch, channelsLast, repeats);
        var versions = new Dictionary<string, string>(TorchRuntime.Versions()) { ["num_threads"] = torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return new LayerProfile("harness", workload.Architecture, threads, batch, channelsLast, repeats, phases, layers, versions);
    }

    /// <summary>The trainer's batch, phase by phase (mirrors <c>Trainer.TrainOneEpoch</c> and <see cref="OptimizerFactory.Step"/>).</summary>
    private static List<PhaseTiming> Phases(BenchWorkload workload, SequentialNetwork model, optim.Optimizer optimizer,
        DeviceImages train, bool channelsLast, int repeats)
    {
        var kernels = KernelWeights.Of(model);
        var parameters = model.parameters().ToArray();
        string[] names = ["batch", "zero_grad", "forward", "loss", "l2_penalty", "backward", "l2_gradient", "optimizer_step", "metrics"];
        var samples = names.ToDictionary(n => n, _ => new List<double>());
        var totals = new List<double>();
        var spec = workload.Optimizer;
        model.train();
        using var order = new Generator(1);
        using var permutation = torch.randperm(train.Count, generator: order);
        using var lossSum = torch.zeros(1, ScalarType.Float64);
        using var correctSum = torch.zeros(1, ScalarType.Float64);
        int batch = workload.BatchSize, batches = train.Count / batch;
        var clock = new Stopwatch();
        for (int step = 0; step < WarmUp + repeats; step++)
        {
            using var scope = torch.NewDisposeScope();
            var times = new double[names.Length];
            int phase = 0;
            clock.Restart();
            void Mark() { times[phase++] = clock.Elapsed.TotalMilliseconds; clock.Restart(); }

            var index = permutation.narrow(0, step % batches * batch, batch);
            var x = BatchLayout.Prepare(train.Images.index_select(0, index), channelsLast);
            var y = train.Labels.index_select(0, index);
            Mark();
            Gradients.Clear(parameters);
            Mark();
            var logits = model.forward(x);
            Mark();
            var loss = ClassificationLoss.PerExample(logits, y, InitScheme.Keras).mean();
            Mark();
            if (spec.L2 > 0) loss = loss + KernelWeights.Penalty(kernels, spec.L2);
            Mark();
            loss.backward();
            Mark();
            // OptimizerFactory.Step, in its two parts: the L2 term's gradient, then the rate, Keras's rescale and the step.
            if (spec.L2 > 0) KernelWeights.AddPenaltyGradient(kernels, spec.L2);
            Mark();
            OptimizerFactory.PrepareStep(optimizer, spec, InitScheme.Keras, step);
            optimizer.step();
            Mark();
            lossSum.add_(loss.detach().to(ScalarType.Float64) * batch);
            correctSum.add_(logits.detach().argmax(1).eq(y).sum().to(ScalarType.Float64));
            Mark();
            if (step < WarmUp) continue;
            for (int i = 0; i < names.Length; i++) samples[names[i]].Add(times[i]);
            totals.Add(times.Sum());
        }
        return names.Select(n => new PhaseTiming(n, Median(samples[n]))).Append(new PhaseTiming("total", Median(totals))).ToList();
    }

    /// <summary>Each layer alone: forward, then backward from a random output gradient, on the input training gives it.</summary>
    private static List<LayerTiming> Layers(SequentialNetwork model, DeviceImages train, int batch, bool channelsLast, int repeats)
    {
        model.train();
        using var scope = torch.NewDisposeScope();
        var inputs = new List<Tensor>();
        using (torch.no_grad())
        {
            var x = BatchLayout.Prepare(train.Images.narrow(0, 0, batch), channelsLast);
            foreach (var stage in model.Stages)
            {
                inputs.Add(x);
                x = stage.Module.forward(x);
            }
        }
        using var noise = new Generator(2);
        var result = new List<LayerTiming>();
        var clock = new Stopwatch();
        for (int i = 0; i < model.Stages.Count; i++)
        {
            var stage = model.Stages[i];
            var forward = new List<double>();
            var backward = new List<double>();
            string output = "";
            for (int r = 0; r < WarmUp + repeats; r++)
            {
                using var inner = torch.NewDisposeScope();
                // The first layer gets no input gradient in training (the images need none); the others do.
                var input = inputs[i].detach().requires_grad_(i > 0);
                clock.Restart();
                var y = stage.Module.forward(input);
                double f = clock.Elapsed.TotalMilliseconds;
                var gradient = torch.randn(y.shape, generator: noise);
                if (y.dim() == 4 && channelsLast) gradient = BatchLayout.Prepare(gradient, true);
                clock.Restart();
                y.backward([gradient]);
                double b = clock.Elapsed.TotalMilliseconds;
                output = string.Join("x", y.shape.Skip(1));
                if (r < WarmUp) continue;
                forward.Add(f);
                backward.Add(b);
            }
            result.Add(new LayerTiming(stage.Name, output, Median(forward), Median(backward)));
        }
        model.zero_grad();
        return result;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
