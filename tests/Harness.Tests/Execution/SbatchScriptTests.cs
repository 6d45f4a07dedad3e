using System.Diagnostics;
using Harness.Execution;

namespace Harness.Tests.Execution;

public sealed class SbatchScriptTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("sbatch-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    internal static SlurmSweep Sweep(string root = "/data/results", int runsToTrain = 4, params string[] overrides) =>
        new("tiny", "/data/experiments/tiny.yaml", root, Path.Combine(root, "tiny"), overrides, "/data",
            ["/usr/bin/dotnet", "/opt/harness/Harness.Cli.dll"], 4, runsToTrain);

    private static readonly SlurmOptions Everything = new(Partition: "gpu", Account: "lab42", TimeLimit: "02:00:00", Memory: "8G",
        CpusPerTask: 4, GpusPerTask: 1, ArrayParallelism: 2, RunsPerTask: 3, SignalLeadSeconds: 240, MaxRequeues: 5);

    [Fact]
    public void Every_requested_option_becomes_an_sbatch_line()
    {
        string script = SbatchScript.Training(Sweep(), Everything, arraySize: 4);

        string[] expected =
        [
            "#SBATCH --job-name=harness-tiny", "#SBATCH --array=0-3%2", "#SBATCH --partition=gpu", "#SBATCH --account=lab42",
            "#SBATCH --time=02:00:00", "#SBATCH --mem=8G", "#SBATCH --cpus-per-task=4", "#SBATCH --gres=gpu:1", "#SBATCH --ntasks=1",
            "#SBATCH --chdir=/data", "#SBATCH --output=/data/results/tiny/slurm/train-%A_%a.out", "#SBATCH --requeue",
            "#SBATCH --signal=B:USR1@240", "#SBATCH --open-mode=append",
        ];
        var lines = script.Split('\n');
        foreach (var line in expected) Assert.Contains(line, lines);
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Contains("max_requeues=5", lines);
    }

    [Fact]
    public void Options_left_out_leave_the_cluster_defaults_alone()
    {
        string script = SbatchScript.Training(Sweep(), new SlurmOptions(), arraySize: 1);

        Assert.Contains("#SBATCH --array=0\n", script);
        Assert.DoesNotContain("--partition", script);
        Assert.DoesNotContain("--account", script);
        Assert.DoesNotContain("--time", script);
        Assert.DoesNotContain("--mem", script);
        Assert.DoesNotContain("--gres", script);
        Assert.Contains("#SBATCH --cpus-per-task=1\n", script);
    }

    [Fact]
    public void Each_task_runs_this_build_by_absolute_path_and_claims_its_share_of_runs()
    {
        string script = SbatchScript.Training(Sweep(), Everything with { RunsPerTask = 3 }, arraySize: 4);

        Assert.Contains("\n/usr/bin/dotnet /opt/harness/Harness.Cli.dll run /data/experiments/tiny.yaml --results /data/results --max-runs 3 &\n", script);
        Assert.DoesNotContain("--retry-failed", script);
        Assert.Contains("--max-runs 3 --retry-failed &", SbatchScript.Training(Sweep(), Everything with { RetryFailed = true }, 4));
    }

    [Fact]
    public void Set_values_with_spaces_and_quotes_stay_one_word()
    {
        string script = SbatchScript.Training(Sweep(overrides: ["epochs=2", "description=two words", "note=it's"]), new SlurmOptions(), 2);

        Assert.Contains("--set epochs=2 --set 'description=two words' --set 'note=it'\\''s' --max-runs 1", script);
    }

    [Fact]
    public void Paths_with_spaces_are_double_quoted_in_sbatch_lines_and_single_quoted_in_the_command()
    {
        var sweep = Sweep(root: "/data/my results") with { WorkingDirectory = "/data/my lab", SpecPath = "/data/my lab/tiny.yaml" };
        string script = SbatchScript.Training(sweep, new SlurmOptions(), 1);

        Assert.Contains("#SBATCH --chdir=\"/data/my lab\"\n", script);
        Assert.Contains("#SBATCH --output=\"/data/my results/tiny/slurm/train-%A_%a.out\"\n", script);
        Assert.Contains(" run '/data/my lab/tiny.yaml' --results '/data/my results' ", script);
        Assert.Contains("#SBATCH --output=\"/data/my results/tiny/slurm/report-%j.out\"\n", SbatchScript.Report(sweep, new SlurmOptions()));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("optimizer.lr=1e-3", "optimizer.lr=1e-3")]
    [InlineData("a b", "'a b'")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("it's", "'it'\\''s'")]
    public void Words_are_quoted_for_bash_only_when_needed(string word, string quoted) => Assert.Equal(quoted, SbatchScript.Quote(word));

    [Theory]
    [InlineData(1, null, "0")]
    [InlineData(4, null, "0-3")]
    [InlineData(1001, 8, "0-1000%8")]
    public void Array_ranges_count_from_zero_with_an_optional_limit(int size, int? parallelism, string expected) =>
        Assert.Equal(expected, SbatchScript.ArraySpec(size, parallelism));

    [Fact]
    public void The_report_script_runs_harness_report_on_the_experiment_folder()
    {
        string script = SbatchScript.Report(Sweep(), Everything);

        Assert.Contains("#SBATCH --job-name=harness-tiny-report\n", script);
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains("#SBATCH --output=/data/results/tiny/slurm/report-%j.out\n", script);
        Assert.Contains("--kill-on-invalid-dep=yes", script);
        Assert.DoesNotContain("--gres", script);
        Assert.EndsWith("\n/usr/bin/dotnet /opt/harness/Harness.Cli.dll report /data/results/tiny\n", script);
    }

    [Fact]
    public void Both_scripts_are_valid_bash()
    {
        foreach (var (name, text) in new[] { ("train", SbatchScript.Training(Sweep(overrides: ["a=b c"]), Everything, 4)), ("report", SbatchScript.Report(Sweep(), Everything)) })
        {
            string path = Path.Combine(temp, name + ".sbatch");
            File.WriteAllText(path, text);
            var (code, output) = Bash(["-n", path], new Dictionary<string, string>(), null);
            Assert.True(code == 0, $"{name}: {output}");
        }
    }

    [Fact]
    public void Near_the_time_limit_the_task_stops_harness_and_requeues_itself()
    {
        var (code, log, requeued) = RunTaskAndSignal("USR1", restartCount: 0);

        Assert.Equal(0, code);
        Assert.Contains("harness got TERM", log);
        Assert.Contains("requeue 4242", requeued);
    }

    [Fact]
    public void A_cancelled_task_stops_harness_without_requeue_and_reports_the_interruption()
    {
        var (code, log, requeued) = RunTaskAndSignal("TERM", restartCount: 0);

        Assert.Equal(130, code);
        Assert.Contains("harness got TERM", log);
        Assert.Equal("", requeued);
    }

    [Fact]
    public void A_task_requeued_too_often_exits_interrupted_instead()
    {
        var (code, _, requeued) = RunTaskAndSignal("USR1", restartCount: 5);

        Assert.Equal(130, code);
        Assert.Equal("", requeued);
    }

    /// <summary>Runs train.sbatch with bash, a fake harness (exits 130 on TERM like harness run) and a fake scontrol.</summary>
    private (int Code, string Log, string Requeued) RunTaskAndSignal(string signal, int restartCount)
    {
        string bin = Directory.CreateDirectory(Path.Combine(temp, "bin")).FullName;
        string requeueLog = Path.Combine(temp, "scontrol.log");
        string started = Path.Combine(temp, "started");
        File.WriteAllText(Path.Combine(bin, "scontrol"), $"#!/bin/bash\necho \"$*\" >> '{requeueLog}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "scontrol"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(requeueLog, "");
        string fakeHarness = Path.Combine(temp, "harness.sh");
        File.WriteAllText(fakeHarness, $"trap 'echo harness got TERM; exit 130' TERM\ntouch '{started}'\nfor i in $(seq 300); do sleep 0.1; done\nexit 0\n");
        var sweep = Sweep(root: temp) with { Harness = ["/bin/bash", fakeHarness], WorkingDirectory = temp };
        string script = Path.Combine(temp, "train.sbatch");
        File.WriteAllText(script, SbatchScript.Training(sweep, new SlurmOptions(MaxRequeues: 3), 1));

        var env = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["SLURM_JOB_ID"] = "4242",
            ["SLURM_RESTART_COUNT"] = restartCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var (code, output) = Bash([script], env, process =>
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(started) && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
            Thread.Sleep(200);
            using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        });
        return (code, output, File.ReadAllText(requeueLog).Trim());
    }

    private static (int Code, string Output) Bash(string[] arguments, Dictionary<string, string> env, Action<Process>? whileRunning)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        whileRunning?.Invoke(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "the script did not end");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
