using MathNet.Numerics.Random;
using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>F2: clean training accuracy per epoch, each run as points and the mean with its band over the runs that learned.</summary>
internal sealed class TrainingAccuracyFigure : IReportFigure
{
    public string Id => "F2";

    public string Name => "F2_training_accuracy";

    public bool AppliesTo(ExperimentAnalysis analysis) => FinishedGroups(analysis).Length > 0;

    public string Caption(ExperimentAnalysis analysis) =>
        "Clean training accuracy per epoch: each run (points, jittered), the mean over the runs that learned (line) and its " +
        EpochBand.Method + " (band). Runs stuck at chance (grey ×) and collapsed runs (black ▼, dotted path) are drawn separately " +
        "and are not in the mean or the band.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var groups = FinishedGroups(analysis);
        var colors = Colors(analysis);
        var plot = NewPlot("Training accuracy per epoch", "epoch", "training accuracy (%)");
        var random = new Xoshiro256StarStar(analysis.Options.Seed);
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        var legends = new HashSet<string>();
        foreach (var g in groups)
        {
            var color = Color.FromHex(colors[g.Key]);
            Band(plot, g.TrainAccuracy, color, 100);
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var r in g.Finished)
            {
                var (rx, ry) = Jittered(r, g.Key, random, rows);
                all.AddRange(ry);
                if (r.Measures.Learned)
                {
                    xs.AddRange(rx);
                    ys.AddRange(ry);
                }
                else if (rx.Count > 0) AddRunThatDidNotLearn(plot, r, rx, ry, color, legends);
            }
            if (xs.Count > 0)
            {
                var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), color.WithAlpha(0.6));
                points.MarkerSize = 5;
            }
            if (g.Learned.Count > 0)
            {
                var line = MeanLine(plot, g.TrainAccuracy, color, 100);
                line.LegendText = g.AllLearned ? $"{g.Key} (n = {g.Finished.Count})" : $"{g.Key} ({g.Learned.Count} of {g.Finished.Count} learned)";
            }
            AddBandRows(rows, g.Key, g.TrainAccuracy, "", outcomeColumn: true);
        }
        PercentLimits(plot, all);
        EpochTicks(plot, groups);
        // Runs that fell to chance sit at the bottom, where the legend would hide them: it goes beside the plot then.
        if (legends.Count > 0) plot.ShowLegend(Edge.Right);
        else plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, this, analysis, directory, ["group", "series", "run_id", "outcome", "epoch", "value"], rows);
    }

    /// <summary>A run's points (epoch jittered, accuracy in percent) for the epochs with a training accuracy; each is a data row.</summary>
    private static (List<double> X, List<double> Y) Jittered(ReportRun r, string group, Xoshiro256StarStar random, List<IReadOnlyList<string>> rows)
    {
        var rx = new List<double>();
        var ry = new List<double>();
        for (int i = 0; i < r.History.Epochs.Count; i++)
        {
            double v = r.History.TrainAccuracy[i];
            if (double.IsNaN(v)) continue;
            rx.Add(r.History.Epochs[i] + (random.NextDouble() - 0.5) * 0.3);
            ry.Add(v * 100);
            rows.Add([group, "run", r.Measures.RunId, OutcomeLabel(r), I(r.History.Epochs[i]), F(v)]);
        }
        return (rx, ry);
    }

    /// <summary>
    /// A run that did not learn is drawn on its own, joined by a thin line so its path (e.g. the fall of a collapse) reads at a glance.
    /// </summary>
    private static void AddRunThatDidNotLearn(Plot plot, ReportRun r, List<double> rx, List<double> ry, Color groupColor, HashSet<string> legends)
    {
        var (shape, markerColor, size, legend) = Marker(r, groupColor, "mean or band");
        var path = plot.Add.ScatterLine(r.History.Epochs.Where((_, i) => !double.IsNaN(r.History.TrainAccuracy[i])).Select(e => (double)e).ToArray(),
            ry.ToArray(), markerColor.WithAlpha(0.5));
        path.LineWidth = 1;
        path.LinePattern = LinePattern.Dotted;
        var points = plot.Add.ScatterPoints(rx.ToArray(), ry.ToArray(), markerColor);
        points.MarkerShape = shape;
        points.MarkerSize = size - 2;
        points.MarkerLineWidth = 2;
        if (legends.Add(legend)) points.LegendText = legend;
    }
}
