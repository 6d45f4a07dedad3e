using System.Globalization;
using Harness.Tracking;
using Harness.Training;
using ScottPlot;

namespace Harness.Reporting.Figures;

/// <summary>
/// What the plotted (ScottPlot) figures share, so that they look alike: the canvas size, axes and epoch ticks, the
/// group colours, how a run's outcome is marked, the mean-and-band drawing, and saving a plot with its data.
/// </summary>
internal static class FigurePlot
{
    private const int Width = 800, Height = 500;

    /// <summary>Marker colour of runs stuck at chance (grey: they carry no information about the group's learning).</summary>
    private const string StuckColor = "#6E6E6E";

    /// <summary>Marker colour of collapsed runs (black, to stand out from every Okabe–Ito group colour).</summary>
    private const string CollapsedColor = "#000000";

    public static string F(double v) => TidyCsv.Format(v);

    public static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The groups with a finished run: the plotted figures draw these, in report order.</summary>
    public static ConditionGroup[] FinishedGroups(ExperimentAnalysis analysis) => analysis.Groups.Where(g => g.Finished.Count > 0).ToArray();

    /// <summary>One colour per group, assigned over all groups so that a group keeps its colour in every figure.</summary>
    public static IReadOnlyDictionary<string, string> Colors(ExperimentAnalysis analysis) => OkabeIto.Assign(analysis.Groups.Select(g => g.Key));

    /// <summary>Writes the plot as PNG and SVG and its data as CSV, named and captioned as <paramref name="figure"/> says.</summary>
    public static FigureFile Save(Plot plot, IReportFigure figure, ExperimentAnalysis analysis, string directory,
        IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        string png = Path.Combine(directory, figure.Name + ".png"), svg = Path.Combine(directory, figure.Name + ".svg"),
            csv = Path.Combine(directory, figure.Name + ".csv");
        plot.SavePng(png, Width, Height);
        SaveSvg(plot, svg);
        TidyCsv.Write(csv, columns, rows);
        return new FigureFile(figure.Id, figure.Name, png, svg, csv, figure.Caption(analysis));
    }

    /// <summary>
    /// Writes the SVG with its dashed and dotted lines. Skia's SVG writer cannot draw a line pattern (a path effect): it
    /// prints "Unsupported path effect in addPaint" and draws the line solid, so a test curve would look like a training
    /// curve. So each patterned line is drawn solid in a colour nothing else uses, and that colour is then replaced by
    /// the line's own colour, opacity and <c>stroke-dasharray</c> (in the legend too).
    /// </summary>
    private static void SaveSvg(Plot plot, string path)
    {
        var patterned = plot.GetPlottables().OfType<IHasLine>().Where(p => p.LinePattern.Intervals is { Length: > 0 }).ToArray();
        var saved = patterned.Select(p => (p.LineColor, p.LinePattern)).ToArray();
        try
        {
            for (int i = 0; i < patterned.Length; i++)
            {
                patterned[i].LineColor = Sentinel(i);
                patterned[i].LinePattern = LinePattern.Solid;
            }
            plot.SaveSvg(path, Width, Height);
        }
        finally
        {
            for (int i = 0; i < patterned.Length; i++) (patterned[i].LineColor, patterned[i].LinePattern) = saved[i];
        }
        if (patterned.Length == 0) return;
        string text = File.ReadAllText(path);
        for (int i = 0; i < patterned.Length; i++)
        {
            var (color, pattern) = saved[i];
            string dash = string.Join(" ", pattern.Intervals.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)));
            string opacity = color.A < 255 ? $" stroke-opacity=\"{(color.A / 255.0).ToString("0.###", CultureInfo.InvariantCulture)}\"" : "";
            text = text.Replace($"stroke=\"#{Sentinel(i).ToHex()[1..7]}\"", $"stroke=\"#{color.ToHex()[1..7]}\"{opacity} stroke-dasharray=\"{dash}\"",
                StringComparison.OrdinalIgnoreCase);
        }
        File.WriteAllText(path, text);
    }

    /// <summary>An opaque colour no figure uses, one per patterned line (a near-black red channel of 1, then the index).</summary>
    private static Color Sentinel(int i) => new((byte)1, (byte)(i / 256 + 2), (byte)(i % 256 + 3));

    public static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    public static void EpochTicks(Plot plot, IEnumerable<ConditionGroup> groups)
    {
        var epochs = groups.SelectMany(g => g.TrainAccuracy.Select(b => b.Epoch)).Distinct().Order().ToArray();
        if (epochs.Length == 0) return;
        int step = Math.Max(1, (int)Math.Ceiling(epochs[^1] / 20.0));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = 0; e <= epochs[^1]; e += step) ticks.AddMajor(e, I(e));
        plot.Axes.Bottom.TickGenerator = ticks;
    }

    /// <summary>Y limits in percent: 50–100 when every value is above 52 %, otherwise fitted to the data (so points at chance stay visible).</summary>
    public static void PercentLimits(Plot plot, IEnumerable<double> percents)
    {
        var v = percents.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0 || v.Min() >= 52) plot.Axes.SetLimitsY(50, 100.5);
        else plot.Axes.SetLimitsY(Math.Max(0, Math.Floor(v.Min() / 5) * 5 - 2), Math.Min(100, Math.Ceiling(v.Max() / 5) * 5) + 0.5);
    }

    /// <summary>How a run's point is drawn: learned runs in the group's colour; stuck and collapsed runs with their own shape and colour.</summary>
    public static (MarkerShape Shape, Color Color, float Size, string Legend) Marker(ReportRun run, Color groupColor, string excluded) =>
        run.Measures.Outcome?.Outcome switch
        {
            TrainingOutcome.StuckAtChance => (MarkerShape.Eks, Color.FromHex(StuckColor), 11, $"stuck at chance (not in {excluded})"),
            TrainingOutcome.Collapsed => (MarkerShape.FilledTriangleDown, Color.FromHex(CollapsedColor), 10, $"collapsed (not in {excluded})"),
            TrainingOutcome.Learned => (MarkerShape.FilledCircle, groupColor, 7, ""),
            _ => (MarkerShape.OpenCircle, groupColor, 7, $"not judged (not in {excluded})"),
        };

    public static string OutcomeLabel(ReportRun run) => run.Measures.Outcome?.Label ?? "not_judged";

    public static void AddBandRows(List<IReadOnlyList<string>> rows, string group, IReadOnlyList<EpochBand> bands, string prefix, bool outcomeColumn = false)
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

    public static void Band(Plot plot, IReadOnlyList<EpochBand> bands, Color color, double scale)
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

    public static ScottPlot.Plottables.Scatter MeanLine(Plot plot, IReadOnlyList<EpochBand> bands, Color color, double scale)
    {
        var ok = bands.Where(b => !double.IsNaN(b.Mean)).ToArray();
        var line = plot.Add.ScatterLine(ok.Select(b => (double)b.Epoch).ToArray(), ok.Select(b => b.Mean * scale).ToArray(), color);
        line.LineWidth = 2.5f;
        return line;
    }
}
