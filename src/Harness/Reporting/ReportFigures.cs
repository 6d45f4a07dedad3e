using System.Globalization;
using Harness.Tracking;
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

    private static void GroupTicks(Plot plot, IReadOnlyList<ConditionGroup> groups)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < groups.Count; i++) ticks.AddMajor(i + 1, $"{groups[i].Key} (n = {groups[i].Finished.Count})");
        plot.Axes.Bottom.TickGenerator = ticks;
    }

    /// <summary>Y limits in percent: 50–100 when every value is at least 50 %, otherwise fitted to the data.</summary>
    private static void PercentLimits(Plot plot, IEnumerable<double> percents)
    {
        var v = percents.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0 || v.Min() >= 50) plot.Axes.SetLimitsY(50, 100.5);
        else plot.Axes.SetLimitsY(Math.Max(0, Math.Floor(v.Min() / 5) * 5 - 2), Math.Min(100, Math.Ceiling(v.Max() / 5) * 5) + 0.5);
    }

    private static FigureFile FinalTestAccuracy(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, int seed)
    {
        var plot = NewPlot("Final test accuracy per run", "", "test accuracy (%)");
        var random = new Xoshiro256StarStar(seed);
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        for (int i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            var color = Color.FromHex(colors[g.Key]);
            var runs = g.Finished.Where(r => !double.IsNaN(r.Measures.FinalTestAccuracy)).ToArray();
            var values = runs.Select(r => r.Measures.FinalTestAccuracy * 100).ToArray();
            if (values.Length == 0) continue;
            all.AddRange(values);
            var sorted = values.Order().ToArray();
            double q1 = Bootstrap.Quantile(sorted, 0.25), q3 = Bootstrap.Quantile(sorted, 0.75), iqr = q3 - q1;
            var box = new Box
            {
                Position = i + 1, BoxMin = q1, BoxMax = q3, BoxMiddle = Bootstrap.Quantile(sorted, 0.5),
                WhiskerMin = sorted.Where(v => v >= q1 - 1.5 * iqr).Min(), WhiskerMax = sorted.Where(v => v <= q3 + 1.5 * iqr).Max(),
                Width = 0.5,
            };
            // The box plot's own colours apply to all its boxes, overriding the box's.
            var boxes = plot.Add.Box(box);
            boxes.FillColor = color.WithAlpha(0.25);
            boxes.LineColor = color;
            boxes.LineWidth = 1.5f;
            var xs = values.Select(_ => i + 1 + (random.NextDouble() - 0.5) * 0.3).ToArray();
            var points = plot.Add.ScatterPoints(xs, values, color);
            points.MarkerSize = 7;
            for (int k = 0; k < runs.Length; k++)
                rows.Add([g.Key, runs[k].Measures.RunId, I(runs[k].Measures.Seed), F(runs[k].Measures.FinalTestAccuracy)]);
        }
        GroupTicks(plot, groups);
        plot.Axes.SetLimitsX(0.4, groups.Length + 0.6);
        PercentLimits(plot, all);
        return Save(plot, dir, "F1", "F1_final_test_accuracy",
            "Final test accuracy of each finished run (points, jittered horizontally) with a box plot per group " +
            "(box: quartiles, line: median, whiskers: most extreme runs within 1.5 IQR).",
            ["group", "run_id", "seed", "final_test_accuracy"], rows);
    }

    private static FigureFile TrainingAccuracy(ConditionGroup[] groups, IReadOnlyDictionary<string, string> colors, string dir, int seed)
    {
        var plot = NewPlot("Training accuracy per epoch", "epoch", "training accuracy (%)");
        var random = new Xoshiro256StarStar(seed);
        var rows = new List<IReadOnlyList<string>>();
        var all = new List<double>();
        foreach (var g in groups)
        {
            var color = Color.FromHex(colors[g.Key]);
            Band(plot, g.TrainAccuracy, color, 100);
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var r in g.Finished)
                for (int i = 0; i < r.History.Epochs.Count; i++)
                {
                    double v = r.History.TrainAccuracy[i];
                    if (double.IsNaN(v)) continue;
                    xs.Add(r.History.Epochs[i] + (random.NextDouble() - 0.5) * 0.3);
                    ys.Add(v * 100);
                    rows.Add([g.Key, "run", r.Measures.RunId, I(r.History.Epochs[i]), F(v)]);
                }
            all.AddRange(ys);
            if (xs.Count > 0)
            {
                var points = plot.Add.ScatterPoints(xs.ToArray(), ys.ToArray(), color.WithAlpha(0.6));
                points.MarkerSize = 5;
            }
            var line = MeanLine(plot, g.TrainAccuracy, color, 100);
            line.LegendText = $"{g.Key} (n = {g.Finished.Count})";
            AddBandRows(rows, g.Key, g.TrainAccuracy, "");
        }
        PercentLimits(plot, all);
        EpochTicks(plot, groups);
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, dir, "F2", "F2_training_accuracy",
            "Clean training accuracy per epoch: each run (points, jittered), the mean over runs (line) and its " +
            EpochBand.Method + " (band).",
            ["group", "series", "run_id", "epoch", "value"], rows);
    }

    private static void AddBandRows(List<IReadOnlyList<string>> rows, string group, IReadOnlyList<EpochBand> bands, string prefix)
    {
        foreach (var b in bands)
        {
            rows.Add([group, prefix + "mean", "", I(b.Epoch), F(b.Mean)]);
            rows.Add([group, prefix + "ci_low", "", I(b.Epoch), F(b.Low)]);
            rows.Add([group, prefix + "ci_high", "", I(b.Epoch), F(b.High)]);
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
        foreach (var g in groups)
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
            $"Training history, {what}: training (solid) and test (dashed) {what} per epoch, mean over finished runs with the " +
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
