using MathNet.Numerics.Random;
using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>F1: each finished run's final test accuracy beside a box plot per group over the runs that learned.</summary>
internal sealed class FinalTestAccuracyFigure : IReportFigure
{
    public string Id => "F1";

    public string Name => "F1_final_test_accuracy";

    public bool AppliesTo(ExperimentAnalysis analysis) => FinishedGroups(analysis).Length > 0;

    public string Caption(ExperimentAnalysis analysis) =>
        "Final test accuracy of each finished run (points, jittered horizontally) with a box plot per group over the runs that learned " +
        "(box: quartiles, line: median, whiskers: most extreme runs within 1.5 IQR). Runs stuck at chance (grey ×) and collapsed runs " +
        "(black ▼) are shown as points only and are not in the box; the axis label counts the runs that learned.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var groups = FinishedGroups(analysis);
        var colors = Colors(analysis);
        var plot = NewPlot("Final test accuracy per run", "", "test accuracy (%)");
        var random = new Xoshiro256StarStar(analysis.Options.Seed);
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        var legends = new HashSet<string>();
        bool marked = false;
        for (int i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            var color = Color.FromHex(colors[g.Key]);
            // The box summarizes the runs that learned; runs stuck at chance or collapsed are drawn as marked points beside it,
            // so a group's spread is not stretched by networks that never trained (and they remain visible).
            AddBox(plot, g, i + 1, color);
            // One scatter per kind of marker (learned, stuck, collapsed, not judged), so that each kind has one legend entry.
            foreach (var kind in g.Finished.Where(r => !double.IsNaN(r.Measures.FinalTestAccuracy)).GroupBy(r => Marker(r, color, "box")))
            {
                var runs = kind.ToArray();
                var values = runs.Select(r => r.Measures.FinalTestAccuracy * 100).ToArray();
                all.AddRange(values);
                var xs = values.Select(_ => i + 1 + (random.NextDouble() - 0.5) * 0.3).ToArray();
                string legend = kind.Key.Legend;
                AddPoints(plot, xs, values, kind.Key, legend.Length > 0 && legends.Add(legend) ? legend : null);
                marked |= legend.Length > 0;
                foreach (var run in runs)
                    rows.Add([g.Key, run.Measures.RunId, I(run.Measures.Seed), OutcomeLabel(run), F(run.Measures.FinalTestAccuracy)]);
            }
        }
        GroupTicks(plot, groups);
        PercentLimits(plot, all);
        if (marked) plot.ShowLegend(Edge.Bottom);
        return Save(plot, this, analysis, directory, ["group", "run_id", "seed", "outcome", "final_test_accuracy"], rows);
    }

    /// <summary>The box over the group's runs that learned, at <paramref name="position"/>; none when no run learned.</summary>
    private static void AddBox(Plot plot, ConditionGroup g, int position, Color color)
    {
        var learned = g.Learned.Select(r => r.Measures.FinalTestAccuracy * 100).Where(v => !double.IsNaN(v)).Order().ToArray();
        if (learned.Length == 0) return;
        double q1 = Bootstrap.Quantile(learned, 0.25), q3 = Bootstrap.Quantile(learned, 0.75), iqr = q3 - q1;
        var box = new Box
        {
            Position = position, BoxMin = q1, BoxMax = q3, BoxMiddle = Bootstrap.Quantile(learned, 0.5),
            WhiskerMin = learned.Where(v => v >= q1 - 1.5 * iqr).Min(), WhiskerMax = learned.Where(v => v <= q3 + 1.5 * iqr).Max(),
            Width = 0.5,
        };
        // The box plot's own colours apply to all its boxes, overriding the box's.
        var boxes = plot.Add.Box(box);
        boxes.FillColor = color.WithAlpha(0.25);
        boxes.LineColor = color;
        boxes.LineWidth = 1.5f;
    }

    private static void AddPoints(Plot plot, double[] xs, double[] values,
        (MarkerShape Shape, Color Color, float Size, string Legend) marker, string? legend)
    {
        var points = plot.Add.ScatterPoints(xs, values, marker.Color);
        points.MarkerShape = marker.Shape;
        points.MarkerSize = marker.Size;
        points.MarkerLineWidth = 2;
        if (legend is not null) points.LegendText = legend;
    }

    /// <summary>One tick per group, counting its runs (and those that learned, when not all did).</summary>
    private static void GroupTicks(Plot plot, ConditionGroup[] groups)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < groups.Length; i++)
            ticks.AddMajor(i + 1, groups[i].AllLearned ? $"{groups[i].Key} (n = {groups[i].Finished.Count})"
                : $"{groups[i].Key} ({groups[i].Learned.Count} of {groups[i].Finished.Count} learned)");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0.4, groups.Length + 0.6);
    }
}
