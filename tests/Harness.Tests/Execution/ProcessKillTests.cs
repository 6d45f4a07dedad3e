using System.Diagnostics;
using Harness.Tracking;

namespace Harness.Tests.Execution;

/// <summary>The real command in real processes: SIGKILL mid-run, SIGTERM, and two workers sharing a sweep.</summary>
public sealed class ProcessKillTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");

    private static Process Start(TinyExperiment tiny, string results, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Cli, "run", tiny.SpecPath, "--results", Path.Combine(tiny.Directory, results) }.Concat(extra)) info.ArgumentList.Add(a);
        var p = Process.Start(info)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static void WaitFor(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > limit) throw new TimeoutException("condition not reached in time");
            Thread.Sleep(50);
        }
    }

    private static int Rows(string csv) => File.Exists(csv) ? File.ReadAllLines(csv).Length - 1 : 0;

    [Fact]
    public void Sigkill_mid_run_then_rerun_gives_the_same_csv_as_an_uninterrupted_run()
    {
        using var tiny = new TinyExperiment();
        string[] args = ["--set", "seeds=1", "--set", "epochs=4", "--set", "conditions.snap29.data.synthetic.train_per_class=40"];
        var run = tiny.Plan("seeds=1", "epochs=4", "conditions.snap29.data.synthetic.train_per_class=40")[0];

        using (var straight = Start(tiny, "straight", args)) { straight.WaitForExit(); Assert.Equal(0, straight.ExitCode); }

        string csv = tiny.Layout("killed").RunMetricsCsv(run.RunId);
        using (var victim = Start(tiny, "killed", args))
        {
            WaitFor(() => Rows(csv) >= 2, TimeSpan.FromMinutes(2));
            victim.Kill(); // SIGKILL: no chance to clean up
            victim.WaitForExit();
        }
        Assert.Equal(RunState.Running, RunStatusFile.TryRead(tiny.Layout("killed").RunStatusJson(run.RunId))!.State);
        using (var rerun = Start(tiny, "killed", args)) { rerun.WaitForExit(); Assert.Equal(0, rerun.ExitCode); }

        Assert.Equal(
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("straight").RunMetricsCsv(run.RunId)),
            TinyExperiment.MetricsWithoutTimes(csv));
        Assert.True(RunRecordYaml.Read(tiny.Layout("killed").RunYaml(run.RunId)).ResumedFromEpoch >= 1);
    }

    [Fact]
    public void Sigterm_leaves_an_interrupted_run_with_a_resumable_checkpoint()
    {
        using var tiny = new TinyExperiment();
        string[] args = ["--set", "seeds=1", "--set", "epochs=50"];
        var run = tiny.Plan("seeds=1", "epochs=50")[0];
        var layout = tiny.Layout("term");
        using (var p = Start(tiny, "term", args))
        {
            WaitFor(() => Rows(layout.RunMetricsCsv(run.RunId)) >= 1, TimeSpan.FromMinutes(2));
            Harness.Execution.Signals.Send(p.Id, Harness.Execution.Signals.Terminate);
            p.WaitForExit();
            Assert.Equal(130, p.ExitCode);
        }
        var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!;
        Assert.Equal(RunState.Interrupted, status.State);
        Assert.True(File.Exists(Path.Combine(layout.RunCheckpointDirectory(run.RunId), "epoch.txt")));
        Assert.Equal(status.EpochsCompleted, int.Parse(File.ReadAllText(Path.Combine(layout.RunCheckpointDirectory(run.RunId), "epoch.txt"))));
    }

    [Fact]
    public void Two_workers_share_a_sweep_and_never_train_the_same_run()
    {
        using var tiny = new TinyExperiment();
        using (var p = Start(tiny, "pool", "--workers", "2"))
        {
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        var layout = tiny.Layout("pool");
        var runs = tiny.Plan();
        foreach (var run in runs)
        {
            Assert.Equal(RunState.Finished, RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!.State);
            string log = File.ReadAllText(layout.RunLog(run.RunId));
            Assert.Equal(1, log.Split("Starting ").Length - 1);
        }
        Assert.Equal(runs.Count * 2, TidyCsv.Read(layout.MetricsCsv).Rows.Count);
    }
}
