using System.CommandLine;
using Harness.Reporting;
using Harness.Tracking;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary><c>harness report results/EXP</c>: statistics across seeds, figures and the report, from the runs' files alone.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("results") { Description = "An experiment's results folder, e.g. results/snf7_vs_snap29" };
        var resamples = new Option<int>("--bootstrap") { Description = "Bootstrap resamples for confidence intervals", DefaultValueFactory = _ => 10_000 };
        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Write the report and the union metrics.csv here instead of into the results folder (which is then only read: a read-only copy can be reported)",
        };
        var command = new Command("report", "Write report.md, report.html, summary.csv, runs.csv and the figures for an experiment") { folder, resamples, output };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var dir = parse.GetValue(folder)!;
            if (!dir.Exists) throw new DirectoryNotFoundException($"{dir.FullName}: no such results folder");
            var layout = new ResultsLayout(dir.FullName);
            var outDir = parse.GetValue(output);
            Failures.WarnDamaged(layout, layout.RunIds());
            ExperimentMetrics.WriteUnion(layout, outDir is null ? null : Path.Combine(outDir.FullName, "metrics.csv"));
            var result = ExperimentReport.Write(layout, ExperimentSnapshot.ReadPublished(layout),
                ReportOptions.Default with { BootstrapResamples = parse.GetValue(resamples) }, outDir?.FullName);
            if (result.Analysis.Limitations.FirstOrDefault(l => l.Contains(ReportSelection.LeftOutMarker, StringComparison.Ordinal)) is { } leftOut)
                Console.Error.WriteLine($"note: {leftOut}");
            AnsiConsole.MarkupLine(Markup.Escape($"Report: {result.Html}"));
            AnsiConsole.MarkupLine(Markup.Escape($"        {result.Markdown}"));
            AnsiConsole.MarkupLine(Markup.Escape($"Summary: {result.SummaryCsv}; runs: {result.RunsCsv}; {result.Figures.Count} figure(s) in {Path.Combine(result.ReportDirectory, "figures")}"));
            return 0;
        }));
        return command;
    }
}
