using System.CommandLine;
using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Cli.Commands;

/// <summary>
/// <c>harness submit SPEC --slurm</c>: plans the experiment, writes <c>results/EXP/slurm/{train,report}.sbatch</c> and
/// submits a job array whose tasks each claim the next K unfinished runs, plus the report job after it.
/// </summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var spec = CommonOptions.Spec();
        var set = CommonOptions.Set();
        var results = CommonOptions.Results();
        var slurm = new Option<bool>("--slurm") { Description = "Submit to Slurm (the only cluster engine so far; required)" };
        var partition = new Option<string?>("--partition", "-p") { Description = "Slurm partition (default: the cluster's default partition)" };
        var account = new Option<string?>("--account", "-A") { Description = "Slurm account to charge" };
        var time = new Option<string?>("--time", "-t") { Description = "Time limit of one task, e.g. 02:00:00 or 1-00:00:00 (default: the partition's)" };
        var mem = new Option<string?>("--mem") { Description = "Memory of one task, e.g. 8G (default: the cluster's DefMemPerCPU)" };
        var cpus = new Option<int>("--cpus-per-task", "-c") { Description = "CPU cores of one task", DefaultValueFactory = _ => 1 };
        var gpus = new Option<int?>("--gpus-per-task") { Description = "GPUs of one task (--gres=gpu:N)" };
        var parallel = new Option<int?>("--array-parallelism", "--max-parallel")
        {
            Description = "At most this many tasks of an array run at once (--array=0-N%P)",
        };
        var runsPerTask = new Option<int>("--runs-per-task") { Description = "Runs each task claims and trains (harness run --max-runs K); tasks = ceil(unfinished runs / K)", DefaultValueFactory = _ => 1 };
        var signalLead = new Option<int>("--signal-lead")
        {
            Description = "Seconds before the time limit at which a task checkpoints, stops and requeues itself",
            DefaultValueFactory = _ => 300,
        };
        var maxRequeues = new Option<int>("--max-requeues") { Description = "How often a task stopped by its time limit may requeue itself", DefaultValueFactory = _ => 3 };
        var retryFailed = new Option<bool>("--retry-failed") { Description = "Count failed runs as unfinished and let the tasks train them again" };
        var onlyUnfinished = new Option<bool>("--only-unfinished")
        {
            Description = "Size the array for the runs not finished yet (default: true; tasks always skip finished runs)",
            DefaultValueFactory = _ => true,
        };
        var jobName = new Option<string?>("--job-name") { Description = "Slurm job name (default: harness-EXPERIMENT)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the scripts and sbatch commands; write and submit nothing" };
        var command = new Command("submit", "Submit an experiment's unfinished runs to a cluster as a job array, with the report as a dependent job")
        {
            spec, set, results, slurm, partition, account, time, mem, cpus, gpus, parallel, runsPerTask, signalLead, maxRequeues,
            retryFailed, onlyUnfinished, jobName, dryRun,
        };
        command.SetAction(parse => Failures.Guard(() =>
        {
            if (!parse.GetValue(slurm))
            {
                Console.Error.WriteLine("error: say where to submit: --slurm (the only engine so far)");
                return 2;
            }
            var options = new SlurmOptions(parse.GetValue(partition), parse.GetValue(account), parse.GetValue(time), parse.GetValue(mem),
                parse.GetValue(cpus), parse.GetValue(gpus), parse.GetValue(parallel), parse.GetValue(runsPerTask), parse.GetValue(signalLead),
                parse.GetValue(maxRequeues), parse.GetValue(retryFailed), parse.GetValue(onlyUnfinished), parse.GetValue(jobName));
            return Execute(parse.GetValue(spec)!, parse.GetValue(set) ?? [], parse.GetValue(results)!, options, parse.GetValue(dryRun));
        }));
        return command;
    }

    private static int Execute(FileInfo specFile, string[] overrides, DirectoryInfo resultsRoot, SlurmOptions options, bool dryRun)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));
        var experiment = SpecLoader.Load(specFile.FullName, overrides);
        var runs = ExperimentPlanner.Plan(experiment);
        var layout = ResultsLayout.For(resultsRoot.FullName, experiment.Name);
        int toTrain = options.OnlyUnfinished ? UnfinishedRuns.Of(layout, runs, options.RetryFailed).Count : runs.Count;
        string cli = typeof(SubmitCommand).Assembly.Location is { Length: > 0 } location ? location : Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");
        var sweep = new SlurmSweep(experiment.Name, specFile.FullName, resultsRoot.FullName, Path.GetFullPath(layout.ExperimentDirectory),
            overrides, Environment.CurrentDirectory, HarnessCommandLine.ForThisProcess(cli), runs.Count, toTrain);

        if (!dryRun)
        {
            // The plan and the snapshot exist before any task starts, so `harness status` counts pending runs at once.
            Directory.CreateDirectory(layout.ExperimentDirectory);
            ExperimentSnapshot.Write(layout, experiment, File.ReadAllText(specFile.FullName), overrides);
            PlanFile.Write(layout, runs);
        }
        var submission = new SlurmSubmitter(new ProcessCommandRunner()).Submit(sweep, options, dryRun);

        if (dryRun)
        {
            Console.WriteLine($"# {sweep.TrainScriptPath} (dry run: not written)");
            Console.Write(submission.TrainScript);
            Console.WriteLine($"\n# {sweep.ReportScriptPath} (dry run: not written)");
            Console.Write(submission.ReportScript);
            Console.WriteLine();
        }
        if (submission.Arrays.Count == 0)
        {
            Console.WriteLine($"{experiment.Name}: all {runs.Count} run(s) are finished; nothing to submit. " +
                $"Make the report with: harness report {layout.ExperimentDirectory}");
            return 0;
        }
        int tasks = submission.Arrays.Sum(a => a.Tasks);
        string shape = $"{toTrain} of {runs.Count} run(s) in {tasks} task(s), {options.RunsPerTask} run(s) per task";
        if (submission.Arrays.Count > 1) shape += $", as {submission.Arrays.Count} arrays (MaxArraySize {submission.MaxArraySize})";
        if (dryRun)
        {
            Console.WriteLine($"# {experiment.Name}: would submit {shape}:");
            foreach (var line in submission.Commands) Console.WriteLine(line);
            return 0;
        }
        var ids = submission.Arrays.Select(a => a.JobId!).ToArray();
        Console.WriteLine($"{experiment.Name}: submitted {shape}: job(s) {string.Join(", ", submission.Arrays.Select(a => $"{a.JobId} [{a.ArraySpec}]"))}.");
        Console.WriteLine($"Report job {submission.ReportJobId} runs after them (cancelled if a task fails).");
        Console.WriteLine($"Scripts and logs: {sweep.SlurmDirectory}");
        Console.WriteLine($"Follow: squeue -j {string.Join(',', ids)},{submission.ReportJobId}   |   harness status {layout.ExperimentDirectory}");
        return 0;
    }
}
