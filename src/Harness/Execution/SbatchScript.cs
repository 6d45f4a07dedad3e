using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Execution;

/// <summary>
/// Writes the two batch scripts of a Slurm sweep: the training array (each task claims the next K unfinished runs
/// with <c>harness run --max-runs K</c>) and the report job that runs after it. The scripts are plain, commented
/// bash with absolute paths, meant to be read and submitted again by hand.
/// </summary>
public static partial class SbatchScript
{
    /// <summary>The training array's script; <paramref name="arraySize"/> tasks (the first array when it is split).</summary>
    public static string Training(SlurmSweep sweep, SlurmOptions options, int arraySize)
    {
        var harnessRun = new List<string>(sweep.Harness) { "run", sweep.SpecPath, "--results", sweep.ResultsRoot };
        foreach (var o in sweep.Overrides) harnessRun.AddRange(["--set", o]);
        harnessRun.AddRange(["--max-runs", Invariant(options.RunsPerTask)]);
        if (options.RetryFailed) harnessRun.Add("--retry-failed");
        string array = ArraySpec(arraySize, options.ArrayParallelism);

        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"# Training array of experiment {sweep.Experiment}, written by `harness submit --slurm`.\n");
        s.Append($"# Each task claims the next {options.RunsPerTask} unfinished run(s) through exclusive lock files and trains them:\n");
        s.Append("# finished runs are skipped and interrupted ones resume from their checkpoint, so tasks need no fixed share.\n");
        s.Append("# Submit again by hand (Slurm's MaxArraySize limits one array; --array on the command line wins):\n");
        s.Append($"#   sbatch --array={array} {Quote(sweep.TrainScriptPath)}\n");
        s.Append("# To size a new array for the runs still unfinished, run `harness submit --slurm` again.\n");
        s.Append($"#SBATCH --job-name={options.JobName ?? "harness-" + sweep.Experiment}\n");
        s.Append($"#SBATCH --array={array}\n");
        AppendPlacement(s, options);
        s.Append($"#SBATCH --cpus-per-task={Invariant(options.CpusPerTask)}\n");
        if (options.Memory is not null) s.Append($"#SBATCH --mem={options.Memory}\n");
        if (options.GpusPerTask is > 0) s.Append($"#SBATCH --gres=gpu:{Invariant(options.GpusPerTask.Value)}\n");
        s.Append($"#SBATCH --chdir={DirectiveValue(sweep.WorkingDirectory)}\n");
        s.Append($"#SBATCH --output={DirectiveValue(Path.Combine(sweep.SlurmDirectory, "train-%A_%a.out"))}\n");
        s.Append("#SBATCH --open-mode=append\n");
        s.Append("#SBATCH --requeue\n");
        s.Append($"#SBATCH --signal=B:USR1@{Invariant(options.SignalLeadSeconds)}\n");
        s.Append('\n');
        s.Append("set -u\n");
        s.Append("export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1\n");
        s.Append($"max_requeues={Invariant(options.MaxRequeues)}\n");
        s.Append('\n');
        s.Append($"# {options.SignalLeadSeconds} s before the time limit Slurm sends USR1: harness is told to stop (it checkpoints and\n");
        s.Append("# exits with 130) and the task requeues itself. A plain TERM (scancel) stops harness the same way, without requeue.\n");
        s.Append("requeue=0 interrupted=0\n");
        s.Append("trap 'requeue=1 interrupted=1; kill -TERM \"$child\" 2>/dev/null' USR1\n");
        s.Append("trap 'interrupted=1; kill -TERM \"$child\" 2>/dev/null' TERM\n");
        s.Append('\n');
        s.Append("echo \"task ${SLURM_ARRAY_JOB_ID:-?}_${SLURM_ARRAY_TASK_ID:-?} (job ${SLURM_JOB_ID:-?}) on $(hostname), restart ${SLURM_RESTART_COUNT:-0}, $(date -u +%FT%TZ)\"\n");
        s.Append(string.Join(' ', harnessRun.Select(Quote))).Append(" &\n");
        s.Append("child=$!\n");
        s.Append("wait \"$child\"; status=$?\n");
        s.Append("# A trapped signal interrupts wait: wait again for harness's own exit status.\n");
        s.Append("while [ \"$interrupted\" = 1 ] && [ \"$status\" -gt 128 ]; do interrupted=0; wait \"$child\"; status=$?; done\n");
        s.Append("echo \"harness run exited with status $status at $(date -u +%FT%TZ)\"\n");
        s.Append("if [ \"$status\" -eq 130 ] && [ \"$requeue\" = 1 ]; then\n");
        s.Append("  if [ \"${SLURM_RESTART_COUNT:-0}\" -lt \"$max_requeues\" ] && scontrol requeue \"$SLURM_JOB_ID\"; then\n");
        s.Append("    echo \"time limit near: task requeued; its runs resume from their checkpoints\"\n");
        s.Append("    exit 0\n");
        s.Append("  fi\n");
        s.Append("  echo \"not requeued (restart ${SLURM_RESTART_COUNT:-0} of $max_requeues): run harness submit --slurm again to go on\"\n");
        s.Append("fi\n");
        s.Append("exit \"$status\"\n");
        return s.ToString();
    }

    /// <summary>The report job's script; it is submitted with an <c>afterok</c> dependency on the training arrays.</summary>
    public static string Report(SlurmSweep sweep, SlurmOptions options)
    {
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"# Report of experiment {sweep.Experiment}, written by `harness submit --slurm`. It runs after every training\n");
        s.Append("# task succeeded; a failed task cancels it (the dependency can never be met). Submit by hand:\n");
        s.Append($"#   sbatch --dependency=afterok:JOBID[:JOBID...] --kill-on-invalid-dep=yes {Quote(sweep.ReportScriptPath)}\n");
        s.Append("# or just run the command at the end of this file.\n");
        s.Append($"#SBATCH --job-name={(options.JobName ?? "harness-" + sweep.Experiment) + "-report"}\n");
        AppendPlacement(s, options);
        s.Append("#SBATCH --cpus-per-task=1\n");
        if (options.Memory is not null) s.Append($"#SBATCH --mem={options.Memory}\n");
        s.Append($"#SBATCH --chdir={DirectiveValue(sweep.WorkingDirectory)}\n");
        s.Append($"#SBATCH --output={DirectiveValue(Path.Combine(sweep.SlurmDirectory, "report-%j.out"))}\n");
        s.Append('\n');
        s.Append("set -eu\n");
        s.Append("export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1\n");
        s.Append(string.Join(' ', new List<string>(sweep.Harness) { "report", sweep.ExperimentDirectory }.Select(Quote))).Append('\n');
        return s.ToString();
    }

    /// <summary>Slurm's <c>--array</c> value for <paramref name="size"/> tasks numbered from 0, with an optional <c>%limit</c>.</summary>
    public static string ArraySpec(int size, int? parallelism)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "an array has at least one task");
        string range = size == 1 ? "0" : $"0-{Invariant(size - 1)}";
        return parallelism is { } p ? $"{range}%{Invariant(p)}" : range;
    }

    /// <summary>
    /// <paramref name="word"/> as one bash word: unchanged when it holds only safe characters, else in single
    /// quotes (a single quote inside becomes <c>'\''</c>).
    /// </summary>
    public static string Quote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A value of an <c>#SBATCH</c> line: sbatch reads a double-quoted value with spaces as one value.</summary>
    private static string DirectiveValue(string value) => value.Any(char.IsWhiteSpace) ? $"\"{value}\"" : value;

    private static void AppendPlacement(StringBuilder s, SlurmOptions options)
    {
        if (options.Partition is not null) s.Append($"#SBATCH --partition={options.Partition}\n");
        if (options.Account is not null) s.Append($"#SBATCH --account={options.Account}\n");
        if (options.TimeLimit is not null) s.Append($"#SBATCH --time={options.TimeLimit}\n");
        s.Append("#SBATCH --ntasks=1\n");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_@%+=:,./-]+$")]
    private static partial Regex SafeWord();
}
