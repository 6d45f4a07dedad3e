namespace Harness.Execution;

/// <summary>
/// How a sweep is laid out on a Slurm cluster: the resources of one array task, how many tasks may run at once,
/// and how many runs each task claims. Null means "leave it to the cluster's defaults".
/// </summary>
/// <param name="Partition">Partition (<c>--partition</c>).</param>
/// <param name="Account">Account to charge (<c>--account</c>).</param>
/// <param name="TimeLimit">Wall-clock limit of one task in Slurm's syntax, e.g. <c>02:00:00</c> or <c>1-00:00:00</c> (<c>--time</c>).</param>
/// <param name="Memory">Memory of one task, e.g. <c>8G</c> (<c>--mem</c>).</param>
/// <param name="CpusPerTask">CPU cores of one task (<c>--cpus-per-task</c>).</param>
/// <param name="GpusPerTask">GPUs of one task (<c>--gres=gpu:N</c>); null or 0 = none.</param>
/// <param name="ArrayParallelism">At most this many tasks of one array run at once (<c>--array=0-N%P</c>); null = no limit.</param>
/// <param name="RunsPerTask">Each task claims and trains at most this many unfinished runs (<c>harness run --max-runs</c>).</param>
/// <param name="SignalLeadSeconds">Seconds before the time limit at which a task is told to checkpoint and stop.</param>
/// <param name="MaxRequeues">A task stopped by its time limit requeues itself (and resumes) at most this many times.</param>
/// <param name="RetryFailed">Tasks train failed runs again (<c>harness run --retry-failed</c>).</param>
/// <param name="OnlyUnfinished">Size the array for the runs not finished yet (the default); false = for every planned run.</param>
/// <param name="JobName">Slurm job name; null = <c>harness-EXPERIMENT</c>.</param>
public sealed record SlurmOptions(
    string? Partition = null,
    string? Account = null,
    string? TimeLimit = null,
    string? Memory = null,
    int CpusPerTask = 1,
    int? GpusPerTask = null,
    int? ArrayParallelism = null,
    int RunsPerTask = 1,
    int SignalLeadSeconds = 300,
    int MaxRequeues = 3,
    bool RetryFailed = false,
    bool OnlyUnfinished = true,
    string? JobName = null)
{
    /// <summary>Every problem with these options (empty when they are usable).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (CpusPerTask < 1) errors.Add($"--cpus-per-task must be at least 1, not {CpusPerTask}");
        if (GpusPerTask < 0) errors.Add($"--gpus-per-task must not be negative, not {GpusPerTask}");
        if (ArrayParallelism < 1) errors.Add($"--array-parallelism must be at least 1, not {ArrayParallelism}");
        if (RunsPerTask < 1) errors.Add($"--runs-per-task must be at least 1, not {RunsPerTask}");
        if (SignalLeadSeconds is < 0 or > 65535) errors.Add($"--signal-lead must be between 0 and 65535 seconds, not {SignalLeadSeconds}");
        if (MaxRequeues < 0) errors.Add($"--max-requeues must not be negative, not {MaxRequeues}");
        foreach (var (name, value) in new[] { ("--partition", Partition), ("--account", Account), ("--time", TimeLimit), ("--mem", Memory), ("--job-name", JobName) })
            if (value is not null && (value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '\'' or '"' or '#')))
                errors.Add($"{name} '{value}' must be one word without quotes or '#'");
        return errors;
    }
}
