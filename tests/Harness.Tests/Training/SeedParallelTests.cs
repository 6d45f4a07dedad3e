using Harness.Data;
using Harness.Execution;
using Harness.Models;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;
using Harness.Training.SeedParallel;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class SeedParallelTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("cifar-small", 3, 32, "keras", new[] { "optimizer.name=adam" })]
    [InlineData("cifar-small", 3, 32, "torch", new[] { "optimizer.name=sgd", "optimizer.momentum=0.9", "optimizer.decay=0.01", "optimizer.l2=0.001" })]
    [InlineData("deep-fmnist", 1, 28, "keras", new[] { "optimizer.name=adam", "optimizer.l2=0.0005" })]
    [InlineData("deep-fmnist", 1, 28, "torch", new[] { "optimizer.name=adam" })]
    [InlineData("deep-fmnist", 1, 40, "keras", new[] { "optimizer.name=adam" })] // member-major first layers, then regrouped
    public void Fused_members_report_what_their_standalone_runs_report(string architecture, int channels, int size, string init, string[] optimizer)
    {
        // Given three runs that differ only by seed, and a small random image set
        using var tiny = new TinyExperiment();
        var specs = tiny.Plan([$"architecture={architecture}", $"init={init}", "seeds=[3, 5, 8]", "epochs=2", .. optimizer])
            .Where(r => r.Condition == "snap29").ToArray();
        torch.set_num_threads(1);
        var shape = new ModelShape(channels, size, size, 10);
        using var train = RandomImages(shape, 24, seed: 1);
        using var test = RandomImages(shape, 12, seed: 2);
        var tests = new[] { ("test", test) };

        // When each trains alone, and all three fused
        var standalone = specs.Select(spec =>
        {
            using var generator = new Generator((ulong)RunSeeds.Initialization(spec.Seed));
            using var model = ModelRegistry.Create(architecture, shape, spec.Init, generator);
            using var opt = OptimizerFactory.Create(spec.Optimizer, model.parameters());
            return new Trainer(spec, model, opt, train, tests, channelsLast: false).Train().ToArray();
        }).ToArray();
        // The standard layout: channels-last computes the same function (see the next test) but rounds differently, and
        // the Keras-initialised networks' near-uniform outputs turn rounding into argmax flips within an epoch.
        using var fused = FusedEnsemble.Create(architecture, shape, specs[0].Init, specs.Select(s => s.Seed).ToArray(), CPU, channelsLast: false);
        using var fusedOptimizer = OptimizerFactory.Create(specs[0].Optimizer, fused.OrderedParameters);
        var epochs = new SeedParallelTrainer(specs, fused, fusedOptimizer, [train, train, train], tests).Train().ToArray();

        // Then every member's every epoch matches its standalone run
        Assert.Equal(2, epochs.Length);
        for (int e = 0; e < 2; e++)
            for (int m = 0; m < 3; m++)
                AssertSame(standalone[m][e], epochs[e][m].Metrics!);
        Assert.NotEqual(standalone[0][1].TrainLossRunning, standalone[1][1].TrainLossRunning);
    }

    [Theory]
    [InlineData("deep-fmnist", 1, 28, false)]
    [InlineData("deep-fmnist", 1, 40, true)]
    [InlineData("cifar-small", 3, 32, false)]
    public void Channels_last_fused_layers_compute_what_the_standard_layout_computes(string architecture, int channels, int size, bool memberMajor)
    {
        torch.set_num_threads(1);
        var shape = new ModelShape(channels, size, size, 10);
        int[] seeds = [3, 5, 8];
        using var standard = FusedEnsemble.Create(architecture, shape, InitScheme.Torch, seeds, CPU, channelsLast: false);
        using var last = FusedEnsemble.Create(architecture, shape, InitScheme.Torch, seeds, CPU, channelsLast: true);
        Assert.Equal(memberMajor, last.InputMemberMajor);
        Assert.Equal(memberMajor, standard.InputMemberMajor);
        using var generator = new Generator(11);
        var batches = seeds.Select(_ => torch.rand([6, channels, size, size], generator: generator)).ToArray();

        var outputs = new[] { standard, last }.Select(model =>
        {
            model.train();
            var logits = model.forward(model.Stack(batches));
            logits.square().sum().backward();
            return (Logits: logits.detach(), Gradients: model.OrderedParameters.Select(p => p.grad!.contiguous()).ToArray());
        }).ToArray();

        Assert.True(outputs[0].Logits.allclose(outputs[1].Logits, rtol: 1e-4, atol: 1e-5));
        // Rounding error scales with the largest gradient (a layer whose gradients nearly cancel keeps that absolute error).
        double scale = outputs[0].Gradients.Max(g => g.abs().max().item<float>());
        for (int p = 0; p < outputs[0].Gradients.Length; p++)
        {
            var (a, b) = (outputs[0].Gradients[p], outputs[1].Gradients[p]);
            Assert.True((a - b).abs().max().item<float>() <= 1e-5 * scale, $"parameter {p}: gradients differ by {(a - b).abs().max().item<float>()} (largest gradient {scale}, shape {string.Join("x", a.shape)})");
        }
        foreach (var b in batches) b.Dispose();
    }

    [Fact]
    public void Seed_parallel_sweep_leaves_the_same_run_folders_as_a_standalone_sweep()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=3");
        var alone = tiny.Run(runs, "alone");
        var fused = Run(tiny, runs, "fused", 3);
        Assert.Equal((6, 0), (alone.Finished, alone.Failed));
        Assert.Equal((6, 0), (fused.Finished, fused.Failed));
        foreach (var run in runs)
        {
            AssertSameRunFolder(tiny.Layout("alone"), tiny.Layout("fused"), run);
            // How each was executed is recorded: it changes float rounding.
            Assert.StartsWith("one model", RunRecordYaml.Read(tiny.Layout("alone").RunYaml(run.RunId)).Versions["execution"]);
            Assert.StartsWith("seed-parallel group of 3", RunRecordYaml.Read(tiny.Layout("fused").RunYaml(run.RunId)).Versions["execution"]);
        }
        Assert.Equal(12, TidyCsv.Read(tiny.Layout("fused").MetricsCsv).Rows.Count);
        Assert.Equal((0, 6), (Run(tiny, runs, "fused", 3).Finished, Run(tiny, runs, "fused", 3).Skipped));
    }

    [Fact]
    public void An_interrupted_group_resumes_fused_or_alone_from_per_member_checkpoints()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=3", "epochs=3").Where(r => r.Condition == "snap29").ToArray();
        tiny.Run(runs, "straight");

        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Epoch == 2 && p.Batch == 1) stop.Cancel(); });
        var interrupted = new RunExecutor(tiny.Layout("resumed"), new DatasetCache(tiny.Directory), [])
            .Run(runs, new ExecutorOptions(SeedParallel: 3), progress, stop.Token);
        Assert.Equal(3, interrupted.Interrupted);

        // One member resumes alone, the other two fused.
        Assert.Equal(1, tiny.Run([runs[0]], "resumed").Finished);
        Assert.Equal(2, Run(tiny, runs, "resumed", 3).Finished);
        foreach (var run in runs)
        {
            AssertSameRunFolder(tiny.Layout("straight"), tiny.Layout("resumed"), run);
            Assert.Equal(1, RunRecordYaml.Read(tiny.Layout("resumed").RunYaml(run.RunId)).ResumedFromEpoch);
        }
    }

    [Fact]
    public void Diverging_members_fail_each_with_the_standalone_reason()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=2", "optimizer.lr=1e30", "init=torch");
        var result = Run(tiny, runs, "results", 2);
        Assert.Equal(4, result.Failed);
        foreach (var run in runs)
        {
            var status = RunStatusFile.TryRead(tiny.Layout().RunStatusJson(run.RunId))!;
            Assert.Equal((RunState.Failed, 0), (status.State, status.EpochsCompleted));
            Assert.Contains("diverged", status.Reason);
        }
    }

    private static SweepResult Run(TinyExperiment tiny, IReadOnlyList<RunSpec> runs, string results, int k) =>
        new RunExecutor(tiny.Layout(results), new DatasetCache(tiny.Directory), []).Run(runs, new ExecutorOptions(SeedParallel: k));

    private static void AssertSameRunFolder(ResultsLayout expected, ResultsLayout actual, RunSpec run) =>
        Harness.Tests.Execution.RunFolderComparison.AssertSameFiles(expected.RunDirectory(run.RunId), actual.RunDirectory(run.RunId));

    private static void AssertSame(EpochMetrics expected, EpochMetrics actual)
    {
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.True(Close(expected.TrainLossRunning, actual.TrainLossRunning), $"running loss {expected.TrainLossRunning} vs {actual.TrainLossRunning}");
        Assert.True(Close(expected.TrainAccuracyRunning, actual.TrainAccuracyRunning), "running accuracy");
        Assert.True(Close(expected.TrainLoss, actual.TrainLoss), $"train loss {expected.TrainLoss} vs {actual.TrainLoss}");
        Assert.True(Close(expected.TrainAccuracy, actual.TrainAccuracy), "train accuracy");
        Assert.True(Close(expected.LearningRate, actual.LearningRate), "learning rate");
        for (int t = 0; t < expected.Tests.Count; t++)
        {
            var (a, b) = (expected.Tests[t], actual.Tests[t]);
            Assert.Equal(a.Name, b.Name);
            Assert.True(Close(a.Loss, b.Loss), $"test loss {a.Loss} vs {b.Loss}");
            Assert.True(Close(a.Accuracy, b.Accuracy), "test accuracy");
            Assert.True(Close(a.MeanConfidenceCorrect, b.MeanConfidenceCorrect), "confidence correct");
            Assert.True(Close(a.MeanConfidenceWrong, b.MeanConfidenceWrong), "confidence wrong");
            Assert.True(Close(a.ExpectedCalibrationError, b.ExpectedCalibrationError), "ece");
        }
    }

    private static bool Close(double a, double b) => (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= Tolerance;

    /// <summary>Random images whose class follows their mean brightness, so training moves the numbers.</summary>
    private static DeviceImages RandomImages(ModelShape shape, int count, int seed)
    {
        var random = new Random(seed);
        int size = shape.Channels * shape.Height * shape.Width;
        var pixels = new float[count * size];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.Next(shape.Classes);
            for (int p = 0; p < size; p++) pixels[i * size + p] = (float)(random.NextDouble() * 0.5 + labels[i] * 0.05);
        }
        var sources = Enumerable.Range(0, count).Select(i => $"image{i}").ToArray();
        return new DeviceImages(new LabeledImages(pixels, labels, shape.Channels, shape.Height, shape.Width, sources, sources), CPU);
    }

    private sealed class SyncProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        public void Report(RunProgress value) => report(value);
    }
}
