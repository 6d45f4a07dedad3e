using System.CommandLine;
using Harness.Data;

namespace Harness.Cli.Commands;

/// <summary><c>harness data ...</c>: look at and prepare image data.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Look at and prepare image data");
        command.Subcommands.Add(Synth());
        return command;
    }

    private static Command Synth()
    {
        var preset = new Option<string>("--preset") { Description = "snap29-like or snf7-like", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write DIR/<class>/<image>.png into", Required = true };
        var count = new Option<int>("--count") { Description = "Images per class", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Data seed", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--size") { Description = "Image side in pixels", DefaultValueFactory = _ => 256 };
        var command = new Command("synth", "Write synthetic fluorescence cell images as PNG, to look at them") { preset, output, count, seed, size };
        command.SetAction(parse => Failures.Guard(() =>
        {
            string p = parse.GetValue(preset)!;
            var files = SyntheticImageExporter.Export(p, parse.GetValue(output)!.FullName, parse.GetValue(count), parse.GetValue(seed), parse.GetValue(size));
            Console.WriteLine($"{files.Count} image(s) of preset {p} written to {parse.GetValue(output)!.FullName}");
            Console.WriteLine($"Bayes-optimal accuracy of {p}: {SyntheticCells.BayesOptimalAccuracy(p):P1} (the best any classifier can do)");
            return 0;
        }));
        return command;
    }
}
