using System.Globalization;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Execution;

/// <summary>
/// <c>results/EXP/plan.csv</c>: the runs an experiment was expanded to (run_id, condition, architecture,
/// color_mode, seed), written before training so that runs not started yet can be counted as pending.
/// </summary>
public static class PlanFile
{
    /// <summary>The file's path.</summary>
    public static string PathOf(ResultsLayout layout) => Path.Combine(layout.ExperimentDirectory, "plan.csv");

    /// <summary>Writes the plan (replacing an older one).</summary>
    public static void Write(ResultsLayout layout, IReadOnlyList<RunSpec> runs) =>
        TidyCsv.Write(PathOf(layout), ["run_id", "condition", "architecture", "color_mode", "seed"],
            runs.Select(r => (IReadOnlyList<string>)[r.RunId, r.Condition, r.Architecture, r.Image.ColorMode.ToString(), r.Seed.ToString(CultureInfo.InvariantCulture)]));

    /// <summary>The planned runs as (run id, condition); empty when no plan was written.</summary>
    public static IReadOnlyList<(string RunId, string Condition)> Read(ResultsLayout layout)
    {
        string path = PathOf(layout);
        if (!File.Exists(path)) return [];
        var table = TidyCsv.Read(path);
        return Enumerable.Range(0, table.Rows.Count).Select(i => (table.Text(i, "run_id"), table.Text(i, "condition"))).ToArray();
    }
}
