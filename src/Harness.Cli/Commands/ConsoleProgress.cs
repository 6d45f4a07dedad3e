using System.Globalization;
using Harness.Execution;
using Harness.Tracking;
using Harness.Training;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// The console view of a sweep: one line per finished epoch (always), and, on an interactive terminal, a live bar
/// with the current run, epoch, batch and the estimated time left for the whole experiment.
/// </summary>
internal sealed class ConsoleProgress : IMetricSink, IProgress<RunProgress>
{
    private ProgressTask? bar;
    private RunProgress? last;

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> under a live progress display when the terminal allows it.</summary>
    public T Show<T>(Func<T> work)
    {
        if (!Interactive) return work();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                bar = ctx.AddTask("starting", maxValue: 1.0);
                result = work();
            });
        return result;
    }

    public void Report(RunProgress p)
    {
        last = p;
        if (bar is null) return;
        double done = (p.RunIndex + ((p.Epoch - 1) + (double)p.Batch / p.Batches) / p.Epochs) / p.RunCount;
        bar.Value = done;
        bar.Description = Markup.Escape(
            $"run {p.RunIndex + 1}/{p.RunCount} {p.RunName} · epoch {p.Epoch}/{p.Epochs} · batch {p.Batch}/{p.Batches} · {Left(p.Remaining)}");
    }

    public void RunStarted(RunRecord run) =>
        AnsiConsole.MarkupLine(Markup.Escape($"▶ {run.Spec.DisplayName} [{run.Spec.RunId}] on {run.Device}") +
                               (run.ResumedFromEpoch > 0 ? Markup.Escape($" (resuming after epoch {run.ResumedFromEpoch})") : ""));

    public void EpochCompleted(RunRecord run, EpochMetrics m)
    {
        var test = m.Tests.Count > 0 ? m.Tests[0] : null;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"  epoch {m.Epoch}/{run.Spec.Epochs}  train acc {m.TrainAccuracy:0.000} (running {m.TrainAccuracyRunning:0.000})  " +
            $"loss {m.TrainLoss:0.000}  test acc {test?.Accuracy:0.000}  dead {m.Probe?.DeadUnitFraction:0.00}  {m.Seconds:0.0}s  · sweep {Left(last?.Remaining)}");
        Console.WriteLine(line);
    }

    public void RunEnded(RunRecord run, RunOutcome outcome)
    {
        string colour = outcome.State == RunState.Finished ? "green" : "red";
        string learned = outcome.Verdict is { } v ? $", {v.Label}" : "";
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape($"■ {run.Spec.DisplayName}: {outcome.State.ToString().ToLowerInvariant()}{learned}{(outcome.Reason is null ? "" : ": " + outcome.Reason)}")}[/]");
        if (outcome.Verdict is { Outcome: not TrainingOutcome.Learned } bad)
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape($"  warning: {run.Spec.DisplayName} [{run.Spec.RunId}] {(bad.Outcome == TrainingOutcome.Collapsed ? $"collapsed at epoch {bad.CollapseEpoch}" : "was stuck at chance")}: {bad.Why}. The report counts it apart (README: \"Runs that never trained or collapsed\").")}[/]");
    }

    private static string Left(TimeSpan? remaining) => remaining is { } r
        ? $"about {(r.TotalHours >= 1 ? $"{(int)r.TotalHours} h {r.Minutes} min" : r.TotalMinutes >= 1 ? $"{(int)r.TotalMinutes} min {r.Seconds} s" : $"{r.Seconds} s")} left"
        : "estimating time left";

    public void Dispose() { }
}
