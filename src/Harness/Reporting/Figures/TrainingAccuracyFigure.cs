using MathNet.Numerics.Random;
using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>
/// F2: training accuracy per epoch, each run as points and the mean with its band over the runs that learned. The
/// clean accuracy (the training set measured after the epoch, in inference mode) is F2; the running accuracy (the mean
/// over the epoch's batches in training mode, the number Keras reported and the published curves show) is F2r. The
/// two differ where a network behaves differently in training mode (dropout, batch norm: the AlexNet clone).
/// </summary>
internal sealed class TrainingAccuracyFigure(bool running = false) : IReportFigure
{
    public string Id => running ? "F2r" : "F2";

    public string Name => running ? "F2r_running_training_accuracy" : "F2_training_accuracy";

    public bool AppliesTo(ExperimentAnalysis analysis) =>
        FinishedGroups(analysis) is { Length: > 0 } groups
        && (!running || groups.Any(g => g.Finished.Any(r => r.History.RunningTrainAccuracy.Any(v => !double.IsNaN(v)))));

    public string Caption(ExperimentAnalysis analysis) =>
        (running
            ? "Running training accuracy per epoch (the mean over the epoch's batches in training mode, with dropout and " +
              "batch statistics active: the number Keras reported, which the published training curves show; F2 gives the " +
              "clean accuracy). "
            : "Clean training accuracy per epoch (the training set measured after the epoch, in inference mode; F2r gives the " +
              "running accuracy Keras reported). ") +
        "Each run (points, jittered), the mean over the runs that learned (line) and its " +
        EpochBand.Method + " (band). Runs stuck at chance (grey ×) and collapsed runs (black ▼, dotted path) are drawn separately " +
        "and are not in the mean or the band; the outcome is judged on the clean accuracy.";

    private IReadOnlyList<double> Curve(RunHistory h) => running ? h.RunningTrainAccuracy : h.TrainAccuracy;

    private IReadOnlyList<EpochBand> Bands(ConditionGroup g) => running ? g.RunningTrainAccuracy : g.TrainAccuracy;

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var groups = FinishedGroups(analysis);
        var colors = Colors(analysis);
        var plot = running
            ? NewPlot("Running training accuracy per epoch (training mode)", "epoch", "running training accuracy (%)")
            : NewPlot("Training accuracy per epoch", "epoch", "clean training accuracy (%)");
        var random = new Xoshiro256StarStar(analysis.Options.Seed);
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        var legends = new HashSet<string>();
        foreach (var g in groups)
        {
            var color = Color.FromHex(colors[g.Key]);
            Band(plot, Bands(g), color, 100);
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
                var line = MeanLine(plot, Bands(g), color, 100);
                line.LegendText = g.AllLearned ? $"{g.Key} (n = {g.Finished.Count})" : $"{g.Key} ({g.Learned.Count} of {g.Finished.Count} learned)";
            }
            AddBandRows(rows, g.Key, Bands(g), "", outcomeColumn: true);
        }
        PercentLimits(plot, all);
        EpochTicks(plot, groups);
        // Runs that fell to chance sit at the bottom, where the legend would hide them: it goes below the plot then (beside it, it
        // took a third of the width from the curves).
        if (legends.Count > 0) plot.ShowLegend(Edge.Bottom);
        else plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, this, analysis, directory, ["group", "series", "run_id", "outcome", "epoch", "value"], rows);
    }

    /// <summary>A run's points (epoch jittered, accuracy in percent) for the epochs with a training accuracy; each is a data row.</summary>
    private (List<double> X, List<double> Y) Jittered(ReportRun r, string group, Xoshiro256StarStar random, List<IReadOnlyList<string>> rows)
    {
        var rx = new List<double>();
        var ry = new List<double>();
        for (int i = 0; i < r.History.Epochs.Count; i++)
        {
            double v = Curve(r.History)[i];
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
    private void AddRunThatDidNotLearn(Plot plot, ReportRun r, List<double> rx, List<double> ry, Color groupColor, HashSet<string> legends)
    {
        var (shape, markerColor, size, legend) = Marker(r, groupColor, running ? "mean or band; judged on clean accuracy" : "mean or band");
        var path = plot.Add.ScatterLine(r.History.Epochs.Where((_, i) => !double.IsNaN(Curve(r.History)[i])).Select(e => (double)e).ToArray(),
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
