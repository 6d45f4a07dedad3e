using System.Globalization;
using System.Text.RegularExpressions;

namespace Harness.Execution;

/// <summary>
/// Submits a sweep to Slurm: writes <c>train.sbatch</c> and <c>report.sbatch</c> into <c>ROOT/EXP/slurm/</c>,
/// submits the training array (split into several arrays when larger than the cluster's MaxArraySize), then
/// the report job with <c>--dependency=afterok:ID[:ID...] --kill-on-invalid-dep=yes</c>, so a failed task
/// cancels the report instead of leaving it pending forever. Every Slurm call goes through <see cref="ICommandRunner"/>.
/// </summary>
/// <param name="runner">Runs sbatch and scontrol.</param>
public sealed partial class SlurmSubmitter(ICommandRunner runner)
{
    /// <summary>Slurm's default MaxArraySize, assumed in a dry run when the cluster cannot be asked.</summary>
    public const int DefaultMaxArraySize = 1001;

    /// <summary>The cluster's MaxArraySize, from <c>scontrol show config</c> (array indices must stay below it).</summary>
    /// <exception cref="SlurmException">scontrol failed or printed no MaxArraySize.</exception>
    public int ReadMaxArraySize()
    {
        var result = runner.Run("scontrol", ["show", "config"]);
        if (result.ExitCode != 0)
            throw new SlurmException($"scontrol show config failed (exit {result.ExitCode}): {Trimmed(result.StandardError, result.StandardOutput)}");
        var match = MaxArraySizeLine().Match(result.StandardOutput);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out int size) || size < 1)
            throw new SlurmException("scontrol show config printed no usable MaxArraySize line");
        return size;
    }

    /// <summary>
    /// Splits <paramref name="tasks"/> into array sizes of at most <paramref name="maxArraySize"/> (each array is
    /// numbered from 0, so its largest index stays below MaxArraySize); e.g. 2500 with 1001 gives 1001, 1001, 498.
    /// </summary>
    public static IReadOnlyList<int> SplitArray(int tasks, int maxArraySize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxArraySize, 1);
        var sizes = new List<int>();
        for (int left = tasks; left > 0; left -= maxArraySize) sizes.Add(Math.Min(left, maxArraySize));
        return sizes;
    }

    /// <summary>
    /// Writes the scripts and submits the arrays and the report job; in a dry run writes and submits nothing and
    /// returns what it would do. Nothing is submitted when no run is left to train.
    /// </summary>
    /// <exception cref="ArgumentException">The options are unusable (every problem is listed).</exception>
    /// <exception cref="SlurmException">sbatch or scontrol failed; the message holds Slurm's own error.</exception>
    public SlurmSubmission Submit(SlurmSweep sweep, SlurmOptions options, bool dryRun)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors));

        int tasks = sweep.Tasks(options);
        int maxArraySize = dryRun ? TryReadMaxArraySize() ?? DefaultMaxArraySize : ReadMaxArraySize();
        var sizes = SplitArray(tasks, maxArraySize);
        string train = SbatchScript.Training(sweep, options, Math.Max(1, sizes.FirstOrDefault()));
        string report = SbatchScript.Report(sweep, options);
        if (tasks == 0) return new SlurmSubmission(dryRun, maxArraySize, train, report, [], null, []);

        var arrays = new List<SubmittedArray>();
        var commands = new List<string>();
        if (!dryRun)
        {
            // Slurm fails a job whose --output folder is missing: every folder exists before the first sbatch.
            Directory.CreateDirectory(sweep.SlurmDirectory);
            Directory.CreateDirectory(Path.Combine(sweep.ExperimentDirectory, "runs"));
            WriteScript(sweep.TrainScriptPath, train);
            WriteScript(sweep.ReportScriptPath, report);
        }
        foreach (int size in sizes)
        {
            string array = SbatchScript.ArraySpec(size, options.ArrayParallelism);
            string[] arguments = ["--parsable", $"--array={array}", sweep.TrainScriptPath];
            commands.Add(CommandLine(arguments));
            string? id = dryRun ? null : Sbatch(arguments, arrays);
            arrays.Add(new SubmittedArray(size, array, id));
        }
        string dependency = "afterok:" + (dryRun ? string.Join(':', arrays.Select((_, i) => $"JOBID{i + 1}")) : string.Join(':', arrays.Select(a => a.JobId)));
        string[] reportArguments = ["--parsable", $"--dependency={dependency}", "--kill-on-invalid-dep=yes", sweep.ReportScriptPath];
        commands.Add(CommandLine(reportArguments));
        string? reportId = dryRun ? null : Sbatch(reportArguments, arrays);

        if (!dryRun)
            File.AppendAllText(sweep.SubmissionsLog,
                $"{DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} runs={sweep.RunsToTrain}/{sweep.PlannedRuns} " +
                $"runs_per_task={options.RunsPerTask} train={string.Join(',', arrays.Select(a => $"{a.JobId}[{a.ArraySpec}]"))} report={reportId}\n");
        return new SlurmSubmission(dryRun, maxArraySize, train, report, arrays, reportId, commands);
    }

    private int? TryReadMaxArraySize()
    {
        try { return ReadMaxArraySize(); }
        catch (SlurmException) { return null; }
    }

    private string Sbatch(string[] arguments, IReadOnlyList<SubmittedArray> submitted)
    {
        var result = runner.Run("sbatch", arguments);
        string already = submitted.Count == 0 ? ""
            : $" Already submitted: job(s) {string.Join(' ', submitted.Select(a => a.JobId))} (cancel with scancel {string.Join(' ', submitted.Select(a => a.JobId))}).";
        if (result.ExitCode != 0)
            throw new SlurmException($"sbatch failed (exit {result.ExitCode}): {Trimmed(result.StandardError, result.StandardOutput)}\n  command: {CommandLine(arguments)}{already}");
        // --parsable prints "ID" or "ID;CLUSTER".
        string id = result.StandardOutput.Trim().Split(';')[0];
        if (!JobId().IsMatch(id))
            throw new SlurmException($"sbatch printed no job id (output: '{result.StandardOutput.Trim()}'){already}");
        return id;
    }

    private static void WriteScript(string path, string text)
    {
        Tracking.AtomicFile.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    private static string CommandLine(IEnumerable<string> arguments) => "sbatch " + string.Join(' ', arguments.Select(SbatchScript.Quote));

    private static string Trimmed(string stderr, string stdout) =>
        (stderr.Trim().Length > 0 ? stderr.Trim() : stdout.Trim()) is { Length: > 0 } text ? text : "(no message)";

    [GeneratedRegex(@"^\s*MaxArraySize\s*=\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex MaxArraySizeLine();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex JobId();
}
