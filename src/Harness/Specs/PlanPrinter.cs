using System.Text;

namespace Harness.Specs;

/// <summary>Formats a plan as a readable table (for <c>harness plan</c>).</summary>
public static class PlanPrinter
{
    /// <summary>One line per run: id, condition, architecture, colour mode, seed, epochs, grid point; then the count.</summary>
    public static string Format(IReadOnlyList<RunSpec> runs)
    {
        var rows = runs.Select(r => new[]
        {
            r.RunId, r.Condition, r.Architecture, r.Image.ColorMode.ToString(), r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            string.Join(" ", r.GridPoint.Select(kv => $"{kv.Key}={kv.Value}")),
        }).ToList();
        string[] header = ["run_id", "condition", "architecture", "color_mode", "seed", "epochs", "grid"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        void Line(string[] cells) => text.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(header);
        foreach (var r in rows) Line(r);
        text.AppendLine($"{runs.Count} run(s)");
        return text.ToString();
    }
}
