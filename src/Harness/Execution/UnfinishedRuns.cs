using Harness.Specs;
using Harness.Tracking;

namespace Harness.Execution;

/// <summary>Which planned runs still need training, judged by their status.json as the executor does.</summary>
public static class UnfinishedRuns
{
    /// <summary>
    /// The runs of <paramref name="runs"/> that are not finished: never started, running, interrupted, and failed
    /// ones only when <paramref name="retryFailed"/> (the executor skips failed runs otherwise).
    /// </summary>
    public static IReadOnlyList<RunSpec> Of(ResultsLayout layout, IReadOnlyList<RunSpec> runs, bool retryFailed) =>
        runs.Where(r => RunStatusFile.TryRead(layout.RunStatusJson(r.RunId))?.State switch
        {
            RunState.Finished => RunFileCheck.Damage(layout, r.RunId) is not null, // cut-short metrics: resumes
            RunState.Failed => retryFailed,
            _ => true,
        }).ToArray();
}
