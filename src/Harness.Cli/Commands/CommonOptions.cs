using System.CommandLine;

namespace Harness.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Argument<FileInfo> Spec() => new("spec") { Description = "The experiment's YAML file, e.g. experiments/snf7_vs_snap29.yaml" };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a spec value by key path, e.g. --set epochs=2 --set optimizer.lr=0.01 (checked like the file itself)",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Option<DirectoryInfo> Results() => new("--results")
    {
        Description = "Root folder of all results",
        DefaultValueFactory = _ => new DirectoryInfo("results"),
    };
}
