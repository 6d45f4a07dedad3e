namespace Harness.Tracking;

/// <summary>
/// Checks one run's own files (status.json, metrics.csv) so that a damaged file concerns that run only: callers
/// treat the run as interrupted (it resumes from its checkpoint) instead of stopping the whole sweep or report.
/// </summary>
public static class RunFileCheck
{
    /// <summary>What the user is told to do about a damaged run.</summary>
    public const string Advice = "the run is treated as interrupted: `harness run` resumes it from its checkpoint (delete the run's folder to train it from scratch)";

    /// <summary>Which file of run <paramref name="runId"/> is damaged and how, or null when its files are sound (or absent).</summary>
    public static string? Damage(ResultsLayout layout, string runId)
    {
        string statusPath = layout.RunStatusJson(runId);
        if (RunStatusFile.Damage(statusPath) is { } bad) return bad;
        string csv = layout.RunMetricsCsv(runId);
        if (!File.Exists(csv)) return null;
        var table = TidyCsv.ReadSound(csv, out string? damage);
        if (damage is not null) return damage;
        if (RunStatusFile.TryRead(statusPath) is { State: RunState.Finished } status && table.Rows.Count < status.EpochsCompleted)
            return $"{csv}: {table.Rows.Count} epoch row(s), but {statusPath} records {status.EpochsCompleted} finished epochs";
        return null;
    }
}
