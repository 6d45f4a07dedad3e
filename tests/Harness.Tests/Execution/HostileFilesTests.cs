using System.Diagnostics;
using Harness.Execution;
using Harness.Tracking;
using Xunit.Abstractions;

namespace Harness.Tests.Execution;

/// <summary>
/// Damaged run files, failed runs, read-only folders and a full disk: each ends in one clear line naming the path
/// and what to do, with a documented exit code, and never stops the rest of a sweep.
/// </summary>
public sealed class HostileFilesTests(ITestOutputHelper output)
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");

    private static (int Code, string Out, string Err) Harness(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4))) { p.Kill(true); throw new TimeoutException(string.Join(" ", args)); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static void NoStackTrace(string text) => Assert.DoesNotContain("   at ", text);

    [Fact]
    public void An_empty_status_and_a_cut_short_metrics_row_concern_their_runs_only_which_resume()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=1");
        tiny.Run(runs, "straight");
        tiny.Run(runs);
        var layout = tiny.Layout();
        string emptied = runs[0].RunId, cut = runs[1].RunId;
        File.WriteAllText(layout.RunStatusJson(emptied), "");
        string csv = layout.RunMetricsCsv(cut);
        File.WriteAllText(csv, File.ReadAllText(csv)[..^7]); // the last row loses its end and its newline

        // Status, report and the plan's bookkeeping go on; each damaged file is named.
        Assert.Contains("is empty", RunFileCheck.Damage(layout, emptied));
        Assert.Contains($"{csv}:3: the last line is incomplete", RunFileCheck.Damage(layout, cut));
        var status = SweepStatus.Read(layout);
        Assert.Equal(2, status.Sum(r => r.Interrupted));
        var read = ExperimentMetrics.ReadRuns(layout);
        Assert.All(read, r => Assert.Equal(RunState.Interrupted, r.Status!.State));
        Assert.Single(read.Single(r => r.Record.Spec.RunId == cut).Metrics.Rows);

        // A rerun trains both again (from the checkpoint, or from scratch when the checkpoint is newer than the sound rows) to the same numbers.
        var again = tiny.Run(runs);
        Assert.Equal(2, again.Finished);
        foreach (var run in runs)
        {
            Assert.Null(RunFileCheck.Damage(layout, run.RunId));
            Assert.Equal(TinyExperiment.MetricsWithoutTimes(tiny.Layout("straight").RunMetricsCsv(run.RunId)),
                TinyExperiment.MetricsWithoutTimes(layout.RunMetricsCsv(run.RunId)));
        }
    }

    [Fact]
    public void A_data_error_prints_its_reason_and_every_rerun_exits_non_zero_until_retried()
    {
        using var tiny = new TinyExperiment("""
            name: broken
            epochs: 1
            threads: 1
            device: cpu
            architecture: cifar-small
            image: {size: 32}
            conditions:
              a: {data: {folders: {train: images, test_fraction: 0.5}}}
            """);
        foreach (var cls in new[] { "x", "y" })
        {
            Directory.CreateDirectory(Path.Combine(tiny.Directory, "images", cls));
            for (int i = 0; i < 2; i++) File.WriteAllText(Path.Combine(tiny.Directory, "images", cls, $"{i}.png"), "not a png");
        }
        string results = Path.Combine(tiny.Directory, "results");

        var first = Harness("run", tiny.SpecPath, "--results", results);
        output.WriteLine(first.Out + first.Err);
        Assert.Equal(1, first.Code);
        Assert.Contains("0.png", first.Err); // the reason itself, naming the file
        Assert.Contains("--retry-failed", first.Err);
        NoStackTrace(first.Out + first.Err);
        var layout = ResultsLayout.For(results, "broken");
        string id = layout.RunIds().Single();
        var status = RunStatusFile.TryRead(layout.RunStatusJson(id))!;
        Assert.StartsWith("Harness.Data.DataException: ", status.Exception);
        Assert.Contains("DataException", File.ReadAllText(layout.RunLog(id)));
        Assert.Contains("   at ", File.ReadAllText(layout.RunLog(id))); // the trace is kept, in the run's log

        var rerun = Harness("run", tiny.SpecPath, "--results", results);
        output.WriteLine(rerun.Out + rerun.Err);
        Assert.Equal(1, rerun.Code);
        Assert.Contains("1 failed earlier (not retried)", rerun.Out);
        Assert.Contains("0.png", rerun.Err);
        Assert.Contains("--retry-failed", rerun.Err);
    }

    [Fact]
    public void A_read_only_results_folder_is_one_line_with_exit_5_and_report_out_writes_elsewhere()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=1", "epochs=1");
        tiny.Run(runs);
        var layout = tiny.Layout();
        PlanFile.Write(layout, runs);
        using var readOnly = Mount.ReadOnlyBind(Path.Combine(tiny.Directory, "results"), output);
        if (readOnly is null) return;

        var report = Harness("report", layout.ExperimentDirectory, "--bootstrap", "100");
        output.WriteLine(report.Out + report.Err);
        Assert.Equal(5, report.Code);
        Assert.Contains("--out DIR", report.Err);
        Assert.Single(report.Err.Trim().Split('\n'));
        NoStackTrace(report.Out + report.Err);

        string elsewhere = Path.Combine(tiny.Directory, "elsewhere");
        var copy = Harness("report", layout.ExperimentDirectory, "--bootstrap", "100", "--out", elsewhere);
        output.WriteLine(copy.Out + copy.Err);
        Assert.Equal(0, copy.Code);
        Assert.True(File.Exists(Path.Combine(elsewhere, "report.html")));
        Assert.True(File.Exists(Path.Combine(elsewhere, "metrics.csv")));

        var run = Harness("run", tiny.SpecPath, "--results", Path.Combine(tiny.Directory, "results"), "--set", "seeds=2");
        output.WriteLine(run.Out + run.Err);
        Assert.Equal(5, run.Code);
        Assert.Contains("read-only", run.Err);
        NoStackTrace(run.Out + run.Err);
    }

    [Fact]
    public void A_full_disk_leaves_no_temporary_file_ends_the_run_in_one_line_and_stale_ones_are_cleaned()
    {
        using var tiny = new TinyExperiment();
        using var full = Mount.Tmpfs(Path.Combine(tiny.Directory, "small"), "1M", output);
        if (full is null) return;

        string target = Path.Combine(full.Path, "big.txt");
        var e = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, new string('x', 2_000_000)));
        Assert.True(FileSystemErrors.IsDiskFull(e), e.ToString());
        Assert.Empty(Directory.GetFiles(full.Path, "*.tmp-*"));

        // A run into a nearly full disk: one line, exit 5, and the next run (with space) removes what a killed writer left.
        File.WriteAllBytes(Path.Combine(full.Path, "filler"), new byte[900_000]);
        var run = Harness("run", tiny.SpecPath, "--results", full.Path, "--set", "seeds=1", "--set", "epochs=1");
        output.WriteLine(run.Out + run.Err);
        Assert.Equal(5, run.Code);
        Assert.Contains("disk is full", run.Err);
        NoStackTrace(run.Out + run.Err);

        File.Delete(Path.Combine(full.Path, "filler"));
        string experiment = Path.Combine(full.Path, "tiny");
        Directory.CreateDirectory(experiment);
        string stale = Path.Combine(experiment, $"metrics.csv.tmp-{Environment.MachineName}-{DeadPid()}-1");
        string live = Path.Combine(experiment, $"plan.csv.tmp-{Environment.MachineName}-{Environment.ProcessId}-1");
        File.WriteAllText(stale, "half");
        File.WriteAllText(live, "being written");
        Assert.Equal(1, AtomicFile.RemoveStale(experiment));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
    }

    private static int DeadPid()
    {
        using var p = Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    /// <summary>A mount made for one test (root only; otherwise the test says why and returns).</summary>
    private sealed class Mount : IDisposable
    {
        public string Path { get; }

        private Mount(string path) => Path = path;

        public static Mount? Tmpfs(string path, string size, ITestOutputHelper output)
        {
            Directory.CreateDirectory(path);
            return Try(output, path, ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path]);
        }

        /// <summary>The folder itself, seen read-only (chmod would not stop root).</summary>
        public static Mount? ReadOnlyBind(string path, ITestOutputHelper output)
        {
            var mount = Try(output, path, ["--bind", path, path]);
            if (mount is null) return null;
            if (Run(["-o", "remount,ro,bind", path]) is { } error) { mount.Dispose(); output.WriteLine($"SKIPPED: cannot remount read-only: {error}"); return null; }
            return mount;
        }

        private static Mount? Try(ITestOutputHelper output, string path, string[] args)
        {
            if (Run(args) is { } error)
            {
                output.WriteLine($"SKIPPED: mounting is not permitted here ({error}); run the tests as root to cover this case");
                return null;
            }
            return new Mount(path);
        }

        private static string? Run(string[] args)
        {
            try
            {
                var info = new ProcessStartInfo("mount") { RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var a in args) info.ArgumentList.Add(a);
                using var p = Process.Start(info)!;
                string err = p.StandardError.ReadToEnd();
                p.WaitForExit();
                return p.ExitCode == 0 ? null : err.Trim();
            }
            catch (System.ComponentModel.Win32Exception e) { return e.Message; }
        }

        public void Dispose()
        {
            using var p = Process.Start("umount", ["-l", Path]);
            p.WaitForExit();
        }
    }
}
