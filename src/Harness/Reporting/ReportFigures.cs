using System.Globalization;
using Harness.Tracking;
using Harness.Training;
using MathNet.Numerics.Random;
using ScottPlot;

namespace Harness.Reporting;

/// <summary>
/// Draws the report's figures (PNG and SVG) and writes each figure's data beside it as CSV:
/// F1 final test accuracy per group, F2 training accuracy per epoch, F5 prediction panel, F6 attribution maps,
/// F7 accuracy and loss histories, F8 test accuracy against the corrupted fraction, F9 memorization curves.
/// </summary>
public static class ReportFigures
{
    private const int Width = 800, Height = 500;

    /// <summary>Writes every figure the data allow into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<FigureFile> Write(ExperimentAnalysis analysis, string directory)
    {
        Directory.CreateDirectory(directory);
        var groups = analysis.Groups.Where(g => g.Finished.Count > 0).ToArray();
        var colors = OkabeIto.Assign(analysis.Groups.Select(g => g.Key));
        var figures = new List<FigureFile>();
        if (groups.Length > 0)
        {
            figures.Add(FinalTestAccuracy(groups, colors, directory, analysis.Options.Seed));
            figures.Add(TrainingAccuracy(groups, colors, directory, analysis.Options.Seed));
            figures.Add(History(groups, colors, directory, accuracy: true));
            figures.Add(History(groups, colors, directory, accuracy: false));
            figures.Add(Memorization(groups, colors, directory, analysis.Options.MemorizationEpsilon));
        }
        if (ControlCurve(analysis, directory) is { } f8) figures.Add(f8);
        if (ImageFigures.PredictionPanel(analysis, directory) is { } f5) figures.Add(f5);
        if (ImageFigures.AttributionMaps(analysis, directory) is { } f6) figures.Add(f6);
        return figures.OrderBy(f => f.Id, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToArray();
    }

    private static string F(double v) => TidyCsv.Format(v);
    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static FigureFile Save(Plot plot, string directory, string id, string name, string caption,
        IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        string png = Path.Combine(directory, name + ".png"), svg = Path.Combine(directory, name + ".svg"), csv = Path.Combine(directory, name + ".csv");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        TidyCsv.Write(csv, columns, rows);
        return new FigureFile(id, name, png, svg, csv, caption);
    }

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    private static void EpochTicks(Plot plot, IEnumerable<ConditionGroup> groups)
    {
        var epochs = groups.SelectMany(g => g.TrainAccuracy.Select(b => b.Epoch)).Distinct().Order().ToArray();
        if (epochs.Length == 0) return;
        int step = Math.Max(1, (int)Math.Ceiling(epochs[^1] / 20.0));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = 0; e <= epochs[^1]; e += step) ticks.AddMajor(e, I(e));
        plot.Axes.Bottom.TickGenerator = ticks;
    }

    /// <summary>Y limits in percent: 50–100 when every value is above 52 %, otherwise fitted to the data (so points at chance stay visible).</summary>
    private static void PercentLimits(Plot plot, IEnumerable<double> percents)
    {
        var v = percents.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0 || v.Min() >= 52) plot.Axes.SetLimitsY(50, 100.5);
        else plot.Axes.SetLimitsY(Math.Max(0, Math.Floor(v.Min() / 5) * 5 - 2), Math.Min(100, Math.Ceiling(v.Max() / 5) * 5) + 0.5);
    }

    /// <summary>Marker colour of runs stuck at chance (grey: they carry no information about the group's learning).</summary>
    private const string StuckColor = "#6E6E6E";

    /// <summary>Marker colour of collapsed runs (black, to stand out from every Okabe–Ito group colour).</summary>
    private const string CollapsedColor = "#000000";

    /// <summary>How a run's point is drawn: learned runs in the group's colour; stuck and collapsed runs with their own shape and colour.</summary>
    private static (MarkerShape Shape, Color Color, float Size, string Legend) Marker(ReportRun run, Color groupColor, string excluded) =>
        run.Measures.Outcome?.Outcome switch
        {
            TrainingOutcome.StuckAtChance => (MarkerShape.Eks, Color.FromHex(StuckColor), 11, $"stuck at chance (not in {excluded})"),
            TrainingOutcome.Collapsed => (MarkerShape.FilledTriangleDown, Color.FromHex(CollapsedColor), 10, $"collapsed (not in {excluded})"),
            TrainingOutcome.Learned => (MarkerShape.FilledCircle, groupColor, 7, ""),
            _ => (MarkerShape.OpenCircle, groupColor, 7, $"not judged (not in {excluded})"),
        };

    private static string OutcomeLabel(ReportRun run) => run.Measures.Outcome?.Label ?? "not_judged";

    private static FigureFile FinalTestAccuracy(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, int seed)
    {
        var plot = NewPlot("Final test accuracy per run", "", "test accuracy (%)");
        var random = new Xoshiro256StarStar(seed);
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
            var learned = g.Learned.Select(r => r.Measures.FinalTestAccuracy * 100).Where(v => !double.IsNaN(v)).Order().ToArray();
            if (learned.Length > 0)
            {
                double q1 = Bootstrap.Quantile(learned, 0.25), q3 = Bootstrap.Quantile(learned, 0.75), iqr = q3 - q1;
                var box = new Box
                {
                    Position = i + 1, BoxMin = q1, BoxMax = q3, BoxMiddle = Bootstrap.Quantile(learned, 0.5),
                    WhiskerMin = learned.Where(v => v >= q1 - 1.5 * iqr).Min(), WhiskerMax = learned.Where(v => v <= q3 + 1.5 * iqr).Max(),
                    Width = 0.5,
                };
                // The box plot's own colours apply to all its boxes, overriding the box's.
                var boxes = plot.Add.Box(box);
                boxes.FillColor = color.WithAlpha(0.25);
                boxes.LineColor = color;
                boxes.LineWidth = 1.5f;
            }
            // One scatter per kind of marker (learned, stuck, collapsed, not judged), so that each kind has one legend entry.
            foreach (var kind in g.Finished.Where(r => !double.IsNaN(r.Measures.FinalTestAccuracy)).GroupBy(r => Marker(r, color, "box")))
            {
                var (shape, markerColor, size, legend) = kind.Key;
                var runs = kind.ToArray();
                var values = runs.Select(r => r.Measures.FinalTestAccuracy * 100).ToArray();
                all.AddRange(values);
                var xs = values.Select(_ => i + 1 + (random.NextDouble() - 0.5) * 0.3).ToArray();
                var points = plot.Add.ScatterPoints(xs, values, markerColor);
                points.MarkerShape = shape;
                points.MarkerSize = size;
                points.MarkerLineWidth = 2;
                if (legend.Length > 0) marked = true;
                if (legend.Length > 0 && legends.Add(legend)) points.LegendText = legend;
                foreach (var run in runs)
                    rows.Add([g.Key, run.Measures.RunId, I(run.Measures.Seed), OutcomeLabel(run), F(run.Measures.FinalTestAccuracy)]);
            }
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < groups.Length; i++)
            ticks.AddMajor(i + 1, groups[i].AllLearned ? $"{groups[i].Key} (n = {groups[i].Finished.Count})"
                : $"{groups[i].Key} ({groups[i].Learned.Count} of {groups[i].Finished.Count} learned)");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(0.4, groups.Length + 0.6);
        PercentLimits(plot, all);
        if (marked) plot.ShowLegend(Edge.Right);
        return Save(plot, dir, "F1", "F1_final_test_accuracy",
            "Final test accuracy of each finished run (points, jittered horizontally) with a box plot per group over the runs that learned " +
            "(box: quartiles, line: median, whiskers: most extreme runs within 1.5 IQR). Runs stuck at chance (grey ×) and collapsed runs " +
            "(black ▼) are shown as points only and are not in the box; the axis label counts the runs that learned.",
            ["group", "run_id", "seed", "outcome", "final_test_accuracy"], rows);
    }

    private static FigureFile TrainingAccuracy(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, int seed)
    {
        var plot = NewPlot("Training accuracy per epoch", "epoch", "training accuracy (%)");
        var random = new Xoshiro256StarStar(seed);
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
                var (shape, markerColor, size, legend) = Marker(r, color, "mean or band");
                var rx = new List<double>();
                var ry = new List<double>();
                for (int i = 0; i < r.History.Epochs.Count; i++)
                {
                    double v = r.History.TrainAccuracy[i];
                    if (double.IsNaN(v)) continue;
                    rx.Add(r.History.Epochs[i] + (random.NextDouble() - 0.5) * 0.3);
                    ry.Add(v * 100);
                    rows.Add([g.Key, "run", r.Measures.RunId, OutcomeLabel(r), I(r.History.Epochs[i]), F(v)]);
                }
                all.AddRange(ry);
                if (r.Measures.Learned)
                {
                    xs.AddRange(rx);
                    ys.AddRange(ry);
                    continue;
                }
                if (rx.Count == 0) continue;
                // A run that did not learn is drawn on its own, joined by a thin line so its path (e.g. the fall of a collapse) reads at a glance.
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
        return Save(plot, dir, "F2", "F2_training_accuracy",
            "Clean training accuracy per epoch: each run (points, jittered), the mean over the runs that learned (line) and its " +
            EpochBand.Method + " (band). Runs stuck at chance (grey ×) and collapsed runs (black ▼, dotted path) are drawn separately " +
            "and are not in the mean or the band.",
            ["group", "series", "run_id", "outcome", "epoch", "value"], rows);
    }

    private static void AddBandRows(List<IReadOnlyList<string>> rows, string group, IReadOnlyList<EpochBand> bands, string prefix, bool outcomeColumn = false)
    {
        // Band rows are over the runs that learned; with an outcome column, they say so.
        IReadOnlyList<string> Row(string series, EpochBand b, double v) => outcomeColumn
            ? [group, prefix + series, "", "learned", I(b.Epoch), F(v)]
            : [group, prefix + series, "", I(b.Epoch), F(v)];
        foreach (var b in bands)
        {
            rows.Add(Row("mean", b, b.Mean));
            rows.Add(Row("ci_low", b, b.Low));
            rows.Add(Row("ci_high", b, b.High));
        }
    }

    private static void Band(Plot plot, IReadOnlyList<EpochBand> bands, Color color, double scale)
    {
        var ok = bands.Where(b => !double.IsNaN(b.Low) && !double.IsNaN(b.High)).ToArray();
        if (ok.Length < 2) return;
        // An accuracy band is drawn within [0, 100] %; the CSV keeps the unclipped interval.
        double Clip(double v) => scale == 100 ? Math.Clamp(v, 0, 1) : v;
        var fill = plot.Add.FillY(ok.Select(b => (double)b.Epoch).ToArray(), ok.Select(b => Clip(b.Low) * scale).ToArray(),
            ok.Select(b => Clip(b.High) * scale).ToArray());
        fill.FillColor = color.WithAlpha(0.2);
        fill.LineWidth = 0;
    }

    private static ScottPlot.Plottables.Scatter MeanLine(Plot plot, IReadOnlyList<EpochBand> bands, Color color, double scale)
    {
        var ok = bands.Where(b => !double.IsNaN(b.Mean)).ToArray();
        var line = plot.Add.ScatterLine(ok.Select(b => (double)b.Epoch).ToArray(), ok.Select(b => b.Mean * scale).ToArray(), color);
        line.LineWidth = 2.5f;
        return line;
    }

    private static FigureFile History(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, bool accuracy)
    {
        string what = accuracy ? "accuracy" : "loss";
        var plot = NewPlot($"Training history: {what} (mean over runs)", "epoch", accuracy ? "accuracy (%)" : "loss (cross-entropy)");
        double scale = accuracy ? 100 : 1;
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        // The mean curves are over the runs that learned; a group without one has no curve here (its runs are in F2).
        foreach (var g in groups.Where(g => g.Learned.Count > 0))
        {
            var color = Color.FromHex(colors[g.Key]);
            var train = accuracy ? g.TrainAccuracy : g.TrainLoss;
            var test = accuracy ? g.TestAccuracy : g.TestLoss;
            Band(plot, train, color, scale);
            Band(plot, test, color, scale);
            var a = MeanLine(plot, train, color, scale);
            a.LegendText = $"{g.Key} train";
            var b = MeanLine(plot, test, color, scale);
            b.LegendText = $"{g.Key} test";
            b.LinePattern = LinePattern.Dashed;
            AddBandRows(rows, g.Key, train, "train_");
            AddBandRows(rows, g.Key, test, "test_");
            all.AddRange(train.Concat(test).SelectMany(x => new[] { x.Low, x.High, x.Mean }).Select(x => x * scale));
        }
        if (accuracy) PercentLimits(plot, all);
        EpochTicks(plot, groups);
        plot.ShowLegend(accuracy ? Alignment.LowerRight : Alignment.UpperRight);
        return Save(plot, dir, "F7", $"F7_{what}_history",
            $"Training history, {what}: training (solid) and test (dashed) {what} per epoch, mean over the finished runs that learned with the " +
            EpochBand.Method + ".",
            ["group", "series", "run_id", "epoch", "value"], rows);
    }

    private static FigureFile Memorization(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, double epsilon)
    {
        var plot = NewPlot("Runs not yet memorized (Kaplan–Meier)", "epoch", "fraction not yet at 100 % training accuracy");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var g in groups)
        {
            var km = g.Memorization;
            var xs = new List<double> { 0 };
            var ys = new List<double> { 1 };
            foreach (var s in km.Steps)
            {
                xs.Add(s.Time);
                ys.Add(s.Survival);
                rows.Add([g.Key, I(s.Time), I(s.AtRisk), I(s.Events), I(s.Censored), F(s.Survival)]);
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), Color.FromHex(colors[g.Key]));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2.5f;
            line.LegendText = $"{g.Key} ({km.Events} of {km.N} memorized)";
        }
        plot.Axes.SetLimitsY(-0.03, 1.05);
        EpochTicks(plot, groups);
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, dir, "F9", "F9_memorization",
            $"Kaplan–Meier estimate of the fraction of runs whose clean training accuracy has not yet reached 1 − ε " +
            $"(ε = {epsilon.ToString("0.###E+0", CultureInfo.InvariantCulture)}); runs that never reach it are censored at their last epoch.",
            ["group", "epoch", "at_risk", "events", "censored", "not_yet_memorized"], rows);
    }

    private static FigureFile? ControlCurve(ExperimentAnalysis analysis, string dir)
    {
        var corrupt = analysis.Controls.Where(c => c.Kind is "corrupt_labels" or "random_labels" && c.N > 0).ToArray();
        if (corrupt.Select(c => c.Fraction).Distinct().Count() < 2) return null;
        var plot = NewPlot("Test accuracy against the fraction of corrupted labels", "fraction p of training labels corrupted", "test accuracy (%)");
        var rows = new List<IReadOnlyList<string>>();
        var points = new List<(double P, string Group, ReportRun Run)>();
        foreach (var c in corrupt)
            foreach (var r in analysis.Groups.First(g => g.Key == c.Group).Finished) points.Add((c.Fraction, c.Group, r));
        foreach (var baseline in corrupt.Select(c => c.Baseline).OfType<string>().Distinct())
            foreach (var r in analysis.Groups.First(g => g.Key == baseline).Finished) points.Add((0, baseline, r));
        var valid = points.Where(p => !double.IsNaN(p.Run.Measures.FinalTestAccuracy)).ToArray();
        var dots = plot.Add.ScatterPoints(valid.Select(p => p.P).ToArray(), valid.Select(p => p.Run.Measures.FinalTestAccuracy * 100).ToArray(),
            Color.FromHex(OkabeIto.Blue).WithAlpha(0.6));
        dots.MarkerSize = 6;
        var means = valid.GroupBy(p => p.P).OrderBy(g => g.Key).Select(g => (P: g.Key, Mean: g.Average(x => x.Run.Measures.FinalTestAccuracy))).ToArray();
        var line = plot.Add.ScatterLine(means.Select(m => m.P).ToArray(), means.Select(m => m.Mean * 100).ToArray(), Color.FromHex(OkabeIto.Vermillion));
        line.LineWidth = 2.5f;
        line.LegendText = "mean over runs";
        foreach (var p in valid) rows.Add([F(p.P), p.Group, p.Run.Measures.RunId, F(p.Run.Measures.FinalTestAccuracy)]);
        plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, dir, "F8", "F8_control_test_accuracy",
            "Final test accuracy of each run against the fraction p of corrupted training labels (p = 0: true labels; p = 1: random labels); line: mean over runs.",
            ["fraction", "group", "run_id", "final_test_accuracy"], rows);
    }
}
