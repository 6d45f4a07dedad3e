using System.CommandLine;
using System.Text.Json;
using Harness.Cli.Bench;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness bench-worker --workload deep|deep-fmnist|alexnet|alexnet-fmnist --threads N</c> (hidden): one benchmark measurement in its
/// own process, printed as one JSON line. <c>make bench</c> (<c>scripts/bench/run.py</c>) runs it alternately with
/// the PyTorch anchor (<c>scripts/bench/anchor.py</c>).
/// </summary>
internal static class BenchWorkerCommand
{
    public static Command Create()
    {
        var workload = new Option<string>("--workload") { Description = "deep (3x256x256, 400 images, batch 20), deep-fmnist (1x28x28, 10,000 images, batch 64), alexnet (3x256x256, 400 images, batch 20) or alexnet-fmnist (1x28x28, 2,000 images, batch 20)", Required = true };
        var threads = new Option<int>("--threads") { Description = "CPU threads (torch.set_num_threads)", DefaultValueFactory = _ => 2 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs to train (the first includes the warm-up)", DefaultValueFactory = _ => 1 };
        var trainImages = new Option<int?>("--train-images") { Description = "Training images (default: the workload's)" };
        var testImages = new Option<int?>("--test-images") { Description = "Test images evaluated after each epoch besides the training set (default: the workload's)" };
        var evalBatch = new Option<int?>("--eval-batch") { Description = "Evaluation batch size (default 200)" };
        var standardLayout = new Option<bool>("--standard-layout") { Description = "Feed the network standard-layout (N x C x H x W) batches instead of the CPU default, channels-last" };
        var seedParallel = new Option<int>("--seed-parallel") { Description = "Train K seeds fused as one model (throughputs count all K members' images)", DefaultValueFactory = _ => 1 };
        var profileLayers = new Option<bool>("--profile-layers") { Description = "Instead of training epochs: time one training batch phase by phase and each layer's forward and backward alone" };
        var repeats = new Option<int>("--profile-repeats") { Description = "Batches timed for --profile-layers (medians)", DefaultValueFactory = _ => 20 };
        var command = new Command("bench-worker", "One benchmark measurement through the harness's trainer, as one JSON line (used by make bench)")
        {
            workload, threads, epochs, trainImages, testImages, evalBatch, standardLayout, seedParallel, profileLayers, repeats,
        };
        command.Hidden = true;
        command.SetAction(parse => Failures.Guard(() =>
        {
            var chosen = BenchWorkload.Named(parse.GetValue(workload)!);
            if (parse.GetValue(trainImages) is { } n) chosen = chosen with { TrainImages = n };
            if (parse.GetValue(testImages) is { } m) chosen = chosen with { TestImages = m };
            if (parse.GetValue(evalBatch) is { } b) chosen = chosen with { EvaluationBatchSize = b };
            if (parse.GetValue(threads) < 1 || parse.GetValue(epochs) < 1 || chosen.TrainImages < 1 || chosen.TestImages < 0 || chosen.EvaluationBatchSize < 1 || parse.GetValue(seedParallel) < 1)
                throw new ArgumentException("threads, epochs, train images, the evaluation batch and --seed-parallel must be positive");
            if (parse.GetValue(seedParallel) > 1 && parse.GetValue(standardLayout))
                throw new ArgumentException("--standard-layout is a comparison for the single-model path; it cannot be combined with --seed-parallel");
            if (parse.GetValue(profileLayers))
            {
                if (parse.GetValue(repeats) < 1) throw new ArgumentException("--profile-repeats must be positive");
                if (parse.GetValue(seedParallel) > 1) throw new ArgumentException("--profile-layers profiles one model; it cannot be combined with --seed-parallel");
                Console.WriteLine(JsonSerializer.Serialize(LayerProfiler.Run(chosen, parse.GetValue(threads), !parse.GetValue(standardLayout), parse.GetValue(repeats))));
                return 0;
            }
            if (parse.GetValue(seedParallel) > 1) Harness.Native.CpuAllocator.KeepFreedMemory(); // process-wide, as in `harness run`
            var report = BenchWorker.Run(chosen, parse.GetValue(threads), parse.GetValue(epochs), !parse.GetValue(standardLayout), parse.GetValue(seedParallel));
            Console.WriteLine(JsonSerializer.Serialize(report));
            return 0;
        }));
        return command;
    }
}
