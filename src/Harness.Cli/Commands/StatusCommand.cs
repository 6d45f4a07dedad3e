using System.CommandLine;
using Harness.Execution;
using Harness.Tracking;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary><c>harness status results/EXP</c>: per condition, how many runs are finished, running, failed, pending, and why they failed.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("results") { Description = "An experiment's results folder, e.g. results/snf7_vs_snap29" };
        var command = new Command("status", "Show how far a sweep is, per condition, with the reasons of failures") { folder };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var layout = new ResultsLayout(parse.GetValue(folder)!.FullName);
            Failures.WarnDamaged(layout, layout.RunIds());
            var rows = SweepStatus.Read(layout);
            if (rows.Count == 0) { Console.WriteLine($"{layout.ExperimentDirectory}: no planned or started runs."); return 1; }
            var table = new Table().AddColumns("condition", "finished", "running", "failed", "interrupted", "pending");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.Condition), r.Finished.ToString(), r.Running.ToString(),
                    r.Failed > 0 ? $"[red]{r.Failed}[/]" : "0", r.Interrupted.ToString(), r.Pending.ToString());
            AnsiConsole.Write(table);
            foreach (var r in rows)
                foreach (var (id, reason) in r.Failures)
                    AnsiConsole.MarkupLine(Markup.Escape($"failed {r.Condition} {id}: {reason}"));
            return 0;
        }));
        return command;
    }
}
