using System.CommandLine;
using Harness.Specs;
using Harness.Tracking;
using Harness.Tracking.Mlflow;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary><c>harness sync results/EXP</c>: replays to MLflow everything the server lacks, idempotently.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("results") { Description = "An experiment's results folder, e.g. results/snf7_vs_snap29" };
        var uri = new Option<string?>("--tracking-uri") { Description = "MLflow server (default: the spec's tracking.mlflow.tracking_uri, then MLFLOW_TRACKING_URI)" };
        var name = new Option<string?>("--experiment-name") { Description = "MLflow experiment (default: the spec's, then MLFLOW_EXPERIMENT_NAME, then the experiment name)" };
        var command = new Command("sync", "Send to MLflow every run, param and epoch it does not have yet (never duplicates; running it twice changes nothing)") { folder, uri, name };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var layout = new ResultsLayout(parse.GetValue(folder)!.FullName);
            if (!Directory.Exists(layout.RunsDirectory)) throw new DirectoryNotFoundException($"{layout.ExperimentDirectory}: no runs to sync");
            // The copy of the spec beside the results holds the tracking block the runs were mirrored with.
            var snapshot = ExperimentSnapshot.ReadTracking(layout);
            string experiment = snapshot?.Name is { Length: > 0 } specName ? specName : Path.GetFileName(layout.ExperimentDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var mlflowSpec = snapshot?.Tracking.Mlflow;
            var settings = MlflowSettings.ForSync(mlflowSpec, experiment, parse.GetValue(uri), parse.GetValue(name), Environment.GetEnvironmentVariables())
                ?? throw new ArgumentException(mlflowSpec is { Enabled: false }
                    ? $"the spec of {layout.ExperimentDirectory} turns MLflow off (tracking.mlflow.enabled: false): pass --tracking-uri to sync anyway"
                    : "no MLflow server given: pass --tracking-uri, set MLFLOW_TRACKING_URI, or name one in the spec (tracking: {mlflow: {tracking_uri: ...}})");
            Console.WriteLine($"Syncing {layout.ExperimentDirectory} to {settings.SafeUri} (experiment '{settings.ExperimentName}')");
            var report = MlflowSync.Run(layout, settings, message => Console.Error.WriteLine($"mlflow: {message}"));
            Console.WriteLine(
                $"{report.RunsCreated} run(s) created, {report.RunsFound} found; {report.PointsSent} metric point(s), {report.ParamsSent} param(s) sent; " +
                $"{report.Requests} request(s) in {report.Elapsed.TotalSeconds:0.0} s.");
            foreach (var skipped in report.Skipped ?? []) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(skipped)}[/]");
            foreach (var conflict in report.Conflicts) AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(conflict)}[/]");
            foreach (var error in report.Errors) AnsiConsole.MarkupLine($"[red]{Markup.Escape(error)}[/]");
            return report.Succeeded ? 0 : 1;
        }));
        return command;
    }
}
