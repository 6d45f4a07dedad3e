namespace Harness.Execution;

/// <summary>What <see cref="SlurmSubmitter.Submit"/> did (or, in a dry run, would do).</summary>
/// <param name="DryRun">Nothing was written or submitted.</param>
/// <param name="MaxArraySize">The cluster's MaxArraySize the arrays were split by.</param>
/// <param name="TrainScript">The training array's script.</param>
/// <param name="ReportScript">The report job's script.</param>
/// <param name="Arrays">The training arrays, in submission order; empty when no run is left to train.</param>
/// <param name="ReportJobId">The report job's id; null in a dry run or when nothing was submitted.</param>
/// <param name="Commands">The sbatch command lines, as a shell would read them.</param>
public sealed record SlurmSubmission(
    bool DryRun,
    int MaxArraySize,
    string TrainScript,
    string ReportScript,
    IReadOnlyList<SubmittedArray> Arrays,
    string? ReportJobId,
    IReadOnlyList<string> Commands);
