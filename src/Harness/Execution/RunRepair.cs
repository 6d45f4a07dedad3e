using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Execution;

/// <summary>
/// Brings a run with a damaged status.json or metrics.csv (see <see cref="RunFileCheck"/>) back to a resumable
/// state, under the run's claim: the metrics keep their sound rows, the status says interrupted and why, and a
/// checkpoint newer than the last sound row is dropped, because the epochs after that row have no numbers and only
/// training them again (runs are deterministic) brings them back.
/// </summary>
public static class RunRepair
{
    /// <summary>Repairs <paramref name="run"/> when its files are damaged; returns the damage, or null when they were sound.</summary>
    public static string? IfDamaged(ResultsLayout layout, RunStore store, RunSpec run)
    {
        string? damage = RunFileCheck.Damage(layout, run.RunId);
        if (damage is null) return null;
        string csv = layout.RunMetricsCsv(run.RunId);
        int sound = 0;
        if (File.Exists(csv))
        {
            var table = TidyCsv.ReadSound(csv, out _);
            sound = table.Rows.Count;
            if (sound == 0) File.Delete(csv);
            else TidyCsv.Write(csv, table.Columns, table.Rows);
        }
        string checkpoint = layout.RunCheckpointDirectory(run.RunId);
        int saved;
        try { saved = Checkpoint.CompletedEpoch(checkpoint); }
        catch (FormatException) { saved = int.MaxValue; } // a damaged checkpoint: start over
        if (saved > sound) Checkpoint.Delete(checkpoint);
        store.Repaired(run, Math.Min(sound, saved), $"repaired after damage: {damage}");
        return damage;
    }
}
