using System.CommandLine;
using Harness.Reporting;
using Harness.Specs;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness study [EXP ...]</c>: one report over the published experiments (results/study/): every published number
/// against its reproduction, every figure, and a verdict per published finding. Experiments without finished runs are
/// listed as not run, with the reason (no results folder, no finished run, or the spec's data not reachable).
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("experiments")
        {
            Description = "Experiment names (results/NAME) or results folders; by default the published ones: " + string.Join(", ", StudyReport.PublishedExperiments),
            Arity = ArgumentArity.ZeroOrMore,
        };
        var results = new Option<DirectoryInfo>("--results") { Description = "Results root holding one folder per experiment", DefaultValueFactory = _ => new DirectoryInfo("results") };
        var specs = new Option<DirectoryInfo>("--specs") { Description = "Folder of the experiment specs (for the published numbers and data checks of experiments not run)", DefaultValueFactory = _ => new DirectoryInfo("experiments") };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Where to write the study (default: RESULTS/study)" };
        var skipped = new Option<string[]>("--not-run")
        {
            Description = "NAME=REASON: why an experiment was not run (make reproduce passes it for data that are absent); ignored when its folder has runs",
            AllowMultipleArgumentsPerToken = false,
        };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for confidence intervals", DefaultValueFactory = _ => 10_000 };
        var command = new Command("study", "Write results/study: the published numbers against their reproduction, every figure, and a verdict per published finding")
        {
            names, results, specs, output, skipped, resamples,
        };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var root = parse.GetValue(results)!;
            var specDir = parse.GetValue(specs)!;
            var given = parse.GetValue(names) is { Length: > 0 } list ? list : StudyReport.PublishedExperiments.ToArray();
            var reasons = (parse.GetValue(skipped) ?? []).Select(s => s.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "skipped", StringComparer.Ordinal);
            var experiments = given.Select(n => Resolve(n, root.FullName, specDir.FullName, reasons)).ToArray();
            string outDir = parse.GetValue(output)?.FullName ?? Path.Combine(root.FullName, "study");
            var anchor = AnchorReading.Read(root.FullName);
            if (anchor.Problem is { } problem) Console.Error.WriteLine($"PyTorch anchor: {problem}");
            var study = StudyReport.Write(experiments, outDir, ReportOptions.Default with { BootstrapResamples = parse.GetValue(resamples) }, anchor);
            foreach (var e in study.Entries.Where(e => !e.Ran)) Console.Error.WriteLine($"not run: {e.Experiment.Name}: {e.NotRunReason}");
            foreach (var f in study.Findings) AnsiConsole.MarkupLine(Markup.Escape($"{f.Number}. {f.Title}: {f.VerdictWords}"));
            AnsiConsole.MarkupLine(Markup.Escape($"Study: {study.Html}"));
            AnsiConsole.MarkupLine(Markup.Escape($"       {study.Markdown}; {study.Csv}; {study.FindingsCsv}"));
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// A name or folder as the study sees it. The published numbers come from the copy the run kept (published.yaml,
    /// read by the study) or else from the spec; an experiment without runs whose spec does not load (a data folder
    /// absent) says so, which is the reason make reproduce skipped it.
    /// </summary>
    private static StudyExperiment Resolve(string nameOrFolder, string root, string specDir, IReadOnlyDictionary<string, string> reasons)
    {
        bool isFolder = nameOrFolder.Contains('/', StringComparison.Ordinal) || Directory.Exists(Path.Combine(nameOrFolder, "runs"));
        string folder = isFolder ? Path.GetFullPath(nameOrFolder) : Path.Combine(root, nameOrFolder);
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        string spec = Path.Combine(specDir, name + ".yaml");
        PublishedSpec? published = File.Exists(Path.Combine(folder, ExperimentSnapshot.PublishedFile)) || !File.Exists(spec)
            ? null : StudyReport.PublishedOf(File.ReadAllText(spec));
        string? notRun = null;
        bool hasRuns = Directory.Exists(Path.Combine(folder, "runs")) && Directory.EnumerateDirectories(Path.Combine(folder, "runs")).Any();
        if (!hasRuns && reasons.TryGetValue(name, out var reason)) notRun = reason;
        else if (!hasRuns && File.Exists(spec))
        {
            try
            {
                SpecLoader.Load(spec);
                notRun = $"no runs in {folder}";
            }
            catch (SpecException e)
            {
                notRun = "its data are not reachable: " + e.Errors[0].Message;
            }
        }
        else if (!hasRuns) notRun = $"no runs in {folder} and no spec {spec}";
        return new StudyExperiment(name, folder, published, notRun);
    }
}
