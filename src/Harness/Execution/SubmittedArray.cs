namespace Harness.Execution;

/// <summary>One training array handed to <c>sbatch</c>.</summary>
/// <param name="Tasks">Number of tasks.</param>
/// <param name="ArraySpec">The <c>--array</c> value, e.g. <c>0-999%8</c>.</param>
/// <param name="JobId">Slurm's job id; null in a dry run.</param>
public sealed record SubmittedArray(int Tasks, string ArraySpec, string? JobId);
