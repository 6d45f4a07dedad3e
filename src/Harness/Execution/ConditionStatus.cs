namespace Harness.Execution;

/// <summary>How far one condition of a sweep is.</summary>
/// <param name="Condition">Condition name.</param>
/// <param name="Finished">Runs finished.</param>
/// <param name="Running">Runs claimed by a live worker.</param>
/// <param name="Failed">Runs failed.</param>
/// <param name="Interrupted">Runs stopped (or whose worker died); they resume.</param>
/// <param name="Pending">Runs not started.</param>
/// <param name="Failures">Failed runs with their reasons.</param>
public sealed record ConditionStatus(string Condition, int Finished, int Running, int Failed, int Interrupted, int Pending,
    IReadOnlyList<(string RunId, string Reason)> Failures);
