using System.Text.Json.Nodes;
using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>
/// Which runs of a results folder enter the report. A folder collects every sweep run into it (a quick
/// <c>SEEDS=2 EPOCHS=2</c> trial, then the full spec), and pooling them counted seeds twice and mixed epochs. So the
/// report takes the runs of the current plan (<c>plan.csv</c>, written by the last <c>harness run</c> or
/// <c>submit</c>; its spec is <c>experiment.yaml</c>); without a plan, for each condition and grid point only the
/// runs that share one set of resolved settings (the most runs; then the latest). What is left out is said.
/// </summary>
public static class ReportSelection
{
    /// <summary>Words in the note on left-out runs (the command line repeats that note on its console).</summary>
    public const string LeftOutMarker = "left out, never pooled";

    /// <summary>The runs to report out of <paramref name="all"/>; <paramref name="leftOut"/> describes the others, or is null.</summary>
    public static IReadOnlyList<ExperimentMetrics.RunFiles> Select(ResultsLayout layout, IReadOnlyList<ExperimentMetrics.RunFiles> all, out string? leftOut)
    {
        leftOut = null;
        var plan = PlanFile.Read(layout).Select(p => p.RunId).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<ExperimentMetrics.RunFiles> kept;
        string why;
        if (plan.Count > 0 && all.Any(r => plan.Contains(r.Record.Spec.RunId)))
        {
            kept = all.Where(r => plan.Contains(r.Record.Spec.RunId)).ToArray();
            why = "not in the current plan (plan.csv; its spec is experiment.yaml)";
        }
        else
        {
            kept = all.GroupBy(r => (r.Record.Spec.Condition, Point(r.Record.Spec)))
                .SelectMany(g => g.GroupBy(r => Settings(r.Record.Spec))
                    .OrderByDescending(s => s.Count()).ThenByDescending(s => s.Max(r => r.Record.StartedUtc), StringComparer.Ordinal)
                    .First())
                .ToArray();
            why = "of the same condition but other settings than the runs reported (no plan.csv)";
        }
        var keptIds = kept.Select(r => r.Record.Spec.RunId).ToHashSet(StringComparer.Ordinal);
        var others = all.Where(r => !keptIds.Contains(r.Record.Spec.RunId)).ToArray();
        if (others.Length > 0)
            leftOut = $"{others.Length} other run(s) in this folder are {why} and are {LeftOutMarker}: " +
                      string.Join("; ", others.GroupBy(r => (r.Record.Spec.Condition, Difference(r.Record.Spec, kept))).Select(g =>
                          $"{g.Key.Condition} seed(s) {string.Join(", ", g.Select(r => r.Record.Spec.Seed).Order())}{g.Key.Item2}")) +
                      ". To report them, run their spec again (its plan replaces this one) or move them to a folder of their own.";
        return kept;
    }

    private static string Point(RunSpec spec) => string.Join(",", spec.GridPoint.Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>Everything resolved about a run but its seed and id.</summary>
    private static string Settings(RunSpec spec) => RunIds.Canonical(spec with { Seed = 0 });

    /// <summary>The top-level settings in which <paramref name="spec"/> differs from the reported runs of its condition, e.g. " (epochs 2, reported 3)".</summary>
    private static string Difference(RunSpec spec, IReadOnlyList<ExperimentMetrics.RunFiles> kept)
    {
        var reference = kept.FirstOrDefault(r => r.Record.Spec.Condition == spec.Condition)?.Record.Spec;
        if (reference is null) return "";
        var a = JsonNode.Parse(Settings(spec))!.AsObject();
        var b = JsonNode.Parse(Settings(reference))!.AsObject();
        var keys = a.Select(p => p.Key).Where(k => !JsonNode.DeepEquals(a[k], b[k])).ToArray();
        if (keys.Length == 0) return "";
        return " (" + string.Join(", ", keys.Select(k => a[k] is JsonValue && b[k] is JsonValue ? $"{k} {a[k]!.ToJsonString()}, reported {b[k]!.ToJsonString()}" : $"other {k}")) + ")";
    }
}
