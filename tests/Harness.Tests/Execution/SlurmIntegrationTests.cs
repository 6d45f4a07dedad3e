using System.Diagnostics;
using System.Text.RegularExpressions;
using Harness.Execution;
using Harness.Tracking;
using Xunit.Abstractions;

namespace Harness.Tests.Execution;

/// <summary>
/// Submits real jobs to a real Slurm (scripts/start-local-slurm.sh brings one up on this machine; CI does).
/// Without a reachable Slurm each test writes why to its output and returns: xunit 2 has no dynamic skip.
/// </summary>
[Trait("Category", "Slurm")]
public sealed partial class SlurmIntegrationTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);
    private readonly string temp = Directory.CreateTempSubdirectory("slurm-it-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_submitted_sweep_trains_every_run_and_then_makes_the_report()
    {
        if (!SlurmIsUp()) return;
        string spec = WriteTinySpec();

        var (code, text) = Harness("submit", spec, "--slurm", "--results", Results, "--array-parallelism", "2", "--time", "00:10:00");
        Assert.True(code == 0, text);
        var (train, report) = SubmittedJobs();

        Assert.Equal("COMPLETED", WaitForEnd(report));
        Assert.All(JobStates(train), s => Assert.Equal("COMPLETED", s));
        var layout = ResultsLayout.For(Results, "slurm_tiny");
        var planned = File.ReadAllLines(Path.Combine(layout.ExperimentDirectory, "plan.csv")).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(4, planned.Length);
        foreach (var id in planned)
        {
            Assert.Equal(RunState.Finished, RunStatusFile.TryRead(layout.RunStatusJson(id))?.State);
            Assert.Equal(3, File.ReadAllLines(layout.RunMetricsCsv(id)).Length); // header + 2 epochs
        }
        Assert.True(Directory.Exists(layout.ReportDirectory) && Directory.EnumerateFiles(layout.ReportDirectory, "report.*").Any(),
            "no report: " + ReadLogs(layout));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(layout.ExperimentDirectory, "slurm"), "train-*.out"));
    }

    [Fact]
    public void A_failing_task_cancels_the_report_and_status_names_the_failure()
    {
        if (!SlurmIsUp()) return;
        string spec = WriteTinySpec();

        // A learning rate of 1e30 makes the loss non-finite in the first epoch: each run fails, each task exits 1.
        var (code, text) = Harness("submit", spec, "--slurm", "--results", Results, "--set", "optimizer.lr=1e30", "--runs-per-task", "2",
            "--time", "00:10:00");
        Assert.True(code == 0, text);
        var (train, report) = SubmittedJobs();

        string reportState = WaitForEnd(report);
        Assert.True(reportState == "CANCELLED" || reportState == "GONE", $"report job {report}: {reportState}");
        Assert.All(JobStates(train), s => Assert.Equal("FAILED", s));
        var layout = ResultsLayout.For(Results, "slurm_tiny");
        Assert.False(Directory.Exists(layout.ReportDirectory));
        var (statusCode, status) = Harness("status", layout.ExperimentDirectory);
        Assert.Equal(0, statusCode);
        Assert.Contains("failed snap29", status);
        Assert.Contains("NaN", status);
    }

    private string Results => Path.Combine(temp, "results");

    private string WriteTinySpec()
    {
        string path = Path.Combine(temp, "slurm_tiny.yaml");
        File.WriteAllText(path, """
            name: slurm_tiny
            description: two conditions x two seeds on tiny synthetic cells, trained through Slurm
            seeds: 2
            epochs: 2
            batch_size: 8
            device: cpu
            threads: 1
            architecture: cifar-small
            image:
              size: 32
            conditions:
              snap29:
                data:
                  synthetic: {preset: snap29-like, train_per_class: 8, test_per_class: 4, size: 32}
              snf7:
                data:
                  synthetic: {preset: snf7-like, train_per_class: 8, test_per_class: 4, size: 32}
            """);
        return path;
    }

    /// <summary>Slurm answers when sbatch is on PATH and <c>scontrol ping</c> reports the controller UP.</summary>
    private bool SlurmIsUp()
    {
        string? sbatch = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "sbatch")).FirstOrDefault(File.Exists);
        if (sbatch is null)
        {
            output.WriteLine("SKIPPED: sbatch is not on PATH (start a local Slurm with: bash scripts/start-local-slurm.sh)");
            return false;
        }
        var ping = Run("scontrol", ["ping"], TimeSpan.FromSeconds(20));
        if (ping.Code != 0 || !ping.Text.Contains("UP", StringComparison.Ordinal))
        {
            output.WriteLine($"SKIPPED: scontrol ping does not report a live controller ({ping.Text.Trim()}); start one with: bash scripts/start-local-slurm.sh");
            return false;
        }
        return true;
    }

    /// <summary>The job ids of the last submission, from <c>slurm/submissions.log</c>.</summary>
    private (string Train, string Report) SubmittedJobs()
    {
        string log = File.ReadAllLines(Path.Combine(Results, "slurm_tiny", "slurm", "submissions.log"))[^1];
        var match = SubmissionLine().Match(log);
        Assert.True(match.Success, log);
        return (match.Groups[1].Value, match.Groups[2].Value);
    }

    /// <summary>Polls the job until it is no longer pending or running; "GONE" when Slurm forgot it.</summary>
    private string WaitForEnd(string jobId)
    {
        var clock = Stopwatch.StartNew();
        string state = "UNKNOWN";
        while (clock.Elapsed < JobTimeout)
        {
            var states = JobStates(jobId);
            state = states.Count == 0 ? "GONE" : states[0];
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "REQUEUED" or "SUSPENDED")) break;
            Thread.Sleep(1000);
        }
        output.WriteLine($"job {jobId}: {state} after {clock.Elapsed.TotalSeconds:0} s");
        Assert.True(clock.Elapsed < JobTimeout, $"job {jobId} still {state} after {JobTimeout}; squeue:\n{Run("squeue", [], TimeSpan.FromSeconds(20)).Text}");
        return state;
    }

    /// <summary>The state of the job, or of each task of an array job.</summary>
    private static IReadOnlyList<string> JobStates(string jobId)
    {
        var result = Run("scontrol", ["show", "job", jobId, "-o"], TimeSpan.FromSeconds(20));
        if (result.Code != 0) return [];
        return result.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JobState().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToArray();
    }

    private static string ReadLogs(ResultsLayout layout) =>
        string.Join("\n", Directory.GetFiles(Path.Combine(layout.ExperimentDirectory, "slurm"), "*.out").Select(f => $"== {f}\n{File.ReadAllText(f)}"));

    /// <summary>Runs this build's CLI (Harness.Cli.dll sits next to the tests) through dotnet, in the temp folder.</summary>
    private (int Code, string Text) Harness(params string[] arguments)
    {
        var command = HarnessCommandLine.ForThisProcess(Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll"));
        var result = Run(command[0], [.. command.Skip(1), .. arguments], TimeSpan.FromMinutes(2));
        output.WriteLine($"$ harness {string.Join(' ', arguments)}\n{result.Text}");
        return result;
    }

    private static (int Code, string Text) Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        try
        {
            var result = new ProcessCommandRunner(timeout).Run(program, arguments);
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        catch (SlurmException e)
        {
            return (-1, e.Message);
        }
    }

    [GeneratedRegex(@"train=(\d+)\[[^\]]*\] report=(\d+)")]
    private static partial Regex SubmissionLine();

    [GeneratedRegex(@"\bJobState=([A-Z_]+)")]
    private static partial Regex JobState();
}
