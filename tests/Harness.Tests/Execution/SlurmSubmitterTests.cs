using Harness.Execution;

namespace Harness.Tests.Execution;

public sealed class SlurmSubmitterTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("submit-").FullName;

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Theory]
    [InlineData(2500, 1001, new[] { 1001, 1001, 498 })]
    [InlineData(1001, 1001, new[] { 1001 })]
    [InlineData(1002, 1001, new[] { 1001, 1 })]
    [InlineData(3, 1001, new[] { 3 })]
    [InlineData(0, 1001, new int[0])]
    public void Arrays_larger_than_MaxArraySize_are_split(int tasks, int max, int[] sizes) =>
        Assert.Equal(sizes, SlurmSubmitter.SplitArray(tasks, max));

    [Fact]
    public void MaxArraySize_is_read_from_scontrol_show_config()
    {
        var slurm = new FakeSlurm { MaxArraySize = 40001 };
        Assert.Equal(40001, new SlurmSubmitter(slurm).ReadMaxArraySize());
        Assert.Equal(("scontrol", "show config"), slurm.Calls[0]);
    }

    [Fact]
    public void The_array_and_then_the_report_are_submitted_with_an_afterok_dependency()
    {
        var slurm = new FakeSlurm();
        var sweep = SbatchScriptTests.Sweep(root: temp, runsToTrain: 4);

        var result = new SlurmSubmitter(slurm).Submit(sweep, new SlurmOptions(ArrayParallelism: 2), dryRun: false);

        Assert.Equal(
        [
            ("scontrol", "show config"),
            ("sbatch", $"--parsable --array=0-3%2 {sweep.TrainScriptPath}"),
            ("sbatch", $"--parsable --dependency=afterok:100 --kill-on-invalid-dep=yes {sweep.ReportScriptPath}"),
        ], slurm.Calls);
        Assert.Equal("100", Assert.Single(result.Arrays).JobId);
        Assert.Equal("101", result.ReportJobId);
        Assert.Equal(result.TrainScript, File.ReadAllText(sweep.TrainScriptPath));
        Assert.Equal(result.ReportScript, File.ReadAllText(sweep.ReportScriptPath));
        Assert.True(Directory.Exists(Path.Combine(sweep.ExperimentDirectory, "runs")));
        Assert.Contains("train=100[0-3%2] report=101", File.ReadAllText(sweep.SubmissionsLog));
    }

    [Fact]
    public void A_split_array_gives_one_sbatch_per_part_and_the_report_waits_for_all()
    {
        var slurm = new FakeSlurm { MaxArraySize = 1001 };
        var sweep = SbatchScriptTests.Sweep(root: temp, runsToTrain: 5000);

        var result = new SlurmSubmitter(slurm).Submit(sweep, new SlurmOptions(RunsPerTask: 2), dryRun: false);

        Assert.Equal(["0-1000", "0-1000", "0-497"], result.Arrays.Select(a => a.ArraySpec));
        Assert.Equal(["100", "101", "102"], result.Arrays.Select(a => a.JobId));
        Assert.Equal(("sbatch", $"--parsable --dependency=afterok:100:101:102 --kill-on-invalid-dep=yes {sweep.ReportScriptPath}"), slurm.Calls[^1]);
        Assert.Contains("#SBATCH --array=0-1000\n", result.TrainScript);
    }

    [Fact]
    public void Runs_per_task_sizes_the_array()
    {
        var slurm = new FakeSlurm();
        var result = new SlurmSubmitter(slurm).Submit(SbatchScriptTests.Sweep(root: temp, runsToTrain: 7), new SlurmOptions(RunsPerTask: 3), dryRun: false);

        Assert.Equal(3, Assert.Single(result.Arrays).Tasks);
        Assert.Contains("--max-runs 3 &", result.TrainScript);
    }

    [Fact]
    public void A_dry_run_prints_the_commands_and_writes_and_submits_nothing()
    {
        var slurm = new FakeSlurm();
        var sweep = SbatchScriptTests.Sweep(root: temp, runsToTrain: 4);

        var result = new SlurmSubmitter(slurm).Submit(sweep, new SlurmOptions(), dryRun: true);

        Assert.True(result.DryRun);
        Assert.DoesNotContain(slurm.Calls, c => c.Program == "sbatch");
        Assert.False(Directory.Exists(sweep.ExperimentDirectory));
        Assert.Equal([$"sbatch --parsable --array=0-3 {sweep.TrainScriptPath}",
            $"sbatch --parsable --dependency=afterok:JOBID1 --kill-on-invalid-dep=yes {sweep.ReportScriptPath}"], result.Commands);
        Assert.Null(result.ReportJobId);
        Assert.Contains("--max-runs 1", result.TrainScript);
    }

    [Fact]
    public void A_dry_run_without_Slurm_assumes_the_default_MaxArraySize()
    {
        var slurm = new FakeSlurm { ScontrolFails = true };
        var result = new SlurmSubmitter(slurm).Submit(SbatchScriptTests.Sweep(root: temp), new SlurmOptions(), dryRun: true);
        Assert.Equal(SlurmSubmitter.DefaultMaxArraySize, result.MaxArraySize);
    }

    [Fact]
    public void Nothing_is_submitted_when_every_run_is_finished()
    {
        var slurm = new FakeSlurm();
        var result = new SlurmSubmitter(slurm).Submit(SbatchScriptTests.Sweep(root: temp, runsToTrain: 0), new SlurmOptions(), dryRun: false);

        Assert.Empty(result.Arrays);
        Assert.Null(result.ReportJobId);
        Assert.DoesNotContain(slurm.Calls, c => c.Program == "sbatch");
    }

    [Fact]
    public void An_sbatch_error_is_surfaced_with_Slurm_s_own_message()
    {
        var slurm = new FakeSlurm { SbatchError = "sbatch: error: invalid partition specified: nope" };
        var sweep = SbatchScriptTests.Sweep(root: temp);

        var e = Assert.Throws<SlurmException>(() => new SlurmSubmitter(slurm).Submit(sweep, new SlurmOptions(Partition: "nope"), dryRun: false));

        Assert.Contains("invalid partition specified: nope", e.Message);
        Assert.Contains("exit 1", e.Message);
        Assert.Contains(sweep.TrainScriptPath, e.Message);
    }

    [Fact]
    public void A_failure_after_the_first_array_names_the_jobs_already_submitted()
    {
        var slurm = new FakeSlurm { MaxArraySize = 2, FailSbatchCall = 2 };

        var e = Assert.Throws<SlurmException>(() =>
            new SlurmSubmitter(slurm).Submit(SbatchScriptTests.Sweep(root: temp, runsToTrain: 4), new SlurmOptions(), dryRun: false));

        Assert.Contains("scancel 100", e.Message);
    }

    [Fact]
    public void Unusable_options_are_all_reported_before_anything_is_submitted()
    {
        var slurm = new FakeSlurm();
        var e = Assert.Throws<ArgumentException>(() => new SlurmSubmitter(slurm).Submit(SbatchScriptTests.Sweep(root: temp),
            new SlurmOptions(RunsPerTask: 0, CpusPerTask: 0, Partition: "two words"), dryRun: false));

        Assert.Contains("--runs-per-task", e.Message);
        Assert.Contains("--cpus-per-task", e.Message);
        Assert.Contains("--partition", e.Message);
        Assert.Empty(slurm.Calls);
    }

    [Fact]
    public void A_missing_sbatch_program_reads_as_Slurm_not_installed()
    {
        var runner = new ProcessCommandRunner();
        var e = Assert.Throws<SlurmException>(() => runner.Run("sbatch-that-does-not-exist", ["--version"]));
        Assert.Contains("on PATH", e.Message);
    }

    /// <summary>Answers scontrol and sbatch like a cluster would, and records every call.</summary>
    private sealed class FakeSlurm : ICommandRunner
    {
        public int MaxArraySize { get; init; } = 1001;
        public bool ScontrolFails { get; init; }
        public string? SbatchError { get; init; }
        public int FailSbatchCall { get; init; }
        public List<(string Program, string Arguments)> Calls { get; } = [];
        private int nextId = 100, sbatchCalls;

        public CommandResult Run(string program, IReadOnlyList<string> arguments)
        {
            Calls.Add((program, string.Join(' ', arguments)));
            if (program == "scontrol")
                return ScontrolFails
                    ? new CommandResult(1, "", "slurm_load_ctl_conf error: Unable to contact slurm controller")
                    : new CommandResult(0, $"Configuration data as of 2026-01-01T00:00:00\nMaxArraySize            = {MaxArraySize}\nMaxJobCount             = 10000\n", "");
            sbatchCalls++;
            if (SbatchError is not null || sbatchCalls == FailSbatchCall)
                return new CommandResult(1, "", (SbatchError ?? "sbatch: error: Batch job submission failed") + "\n");
            return new CommandResult(0, $"{nextId++}\n", "");
        }
    }
}
