using System.CommandLine;
using System.Globalization;
using Harness.Cli.Parity;
using static TorchSharp.torch;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness parity-worker --workload deep|deep-fmnist|cifar-small --optimizer adam|sgd --out DIR</c> (hidden):
/// trains one parity workload through the harness's trainer and writes its initial weights, data, batch order,
/// per-step losses and final weights into DIR. <c>make parity</c> (<c>scripts/parity/parity.py</c>) replays them in
/// PyTorch and compares.
/// </summary>
internal static class ParityWorkerCommand
{
    public static Command Create()
    {
        var workload = new Option<string>("--workload") { Description = $"The workload ({string.Join(", ", ParityWorkload.Names)})", Required = true };
        var optimizer = new Option<string>("--optimizer") { Description = "adam (lr 1e-3, epsilon 1e-7) or sgd (lr 0.01, momentum 0.9, Keras decay 0.3, L2 0.0005)", Required = true };
        var steps = new Option<int?>("--steps") { Description = "Optimizer steps, rounded up to whole epochs (default: the workload's)" };
        var dtype = new Option<string>("--dtype") { Description = "float64 (the parity check) or float32 (the harness's training precision)", DefaultValueFactory = _ => "float64" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (default 1: OpenMP's spinning threads make a 2-thread run many times slower when other work shares the cores)", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "Folder for manifest.json and the raw tensors", Required = true };
        var command = new Command("parity-worker", "Train one parity workload through the harness's trainer and write what PyTorch needs to replay it (used by make parity)")
        {
            workload, optimizer, steps, dtype, threads, output,
        };
        command.Hidden = true;
        command.SetAction(parse => Failures.Guard(() =>
        {
            var chosen = ParityWorkload.Named(parse.GetValue(workload)!);
            int n = parse.GetValue(steps) ?? chosen.Steps;
            if (n < 1 || parse.GetValue(threads) < 1) throw new ArgumentException("--steps and --threads must be positive");
            var type = parse.GetValue(dtype) switch
            {
                "float64" => ScalarType.Float64,
                "float32" => ScalarType.Float32,
                var other => throw new ArgumentException($"unknown --dtype '{other}' (float64, float32)"),
            };
            var manifest = ParityWorker.Run(chosen, parse.GetValue(optimizer)!, n, type, parse.GetValue(threads), parse.GetValue(output)!);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{manifest.Workload} {manifest.OptimizerName} {manifest.Dtype}: {manifest.Steps} steps, {manifest.Epochs} epochs, written to {parse.GetValue(output)}"));
            return 0;
        }));
        return command;
    }
}
