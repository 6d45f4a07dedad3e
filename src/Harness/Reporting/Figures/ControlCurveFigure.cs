using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>
/// F8: final test accuracy against the fraction of corrupted training labels, from the label controls and the true-label
/// groups they are compared with (p = 0); drawn when the controls span at least two fractions.
/// </summary>
internal sealed class ControlCurveFigure : IReportFigure
{
    public string Id => "F8";

    public string Name => "F8_control_test_accuracy";

    public bool AppliesTo(ExperimentAnalysis analysis) => LabelControls(analysis).Select(c => c.Fraction).Distinct().Count() >= 2;

    public string Caption(ExperimentAnalysis analysis) =>
        "Final test accuracy of each run against the fraction p of corrupted training labels (p = 0: true labels; p = 1: random labels); line: mean over runs.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var corrupt = LabelControls(analysis);
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
        return Save(plot, this, analysis, directory, ["fraction", "group", "run_id", "final_test_accuracy"], rows);
    }

    /// <summary>The label controls (corrupted or random labels) with a finished run.</summary>
    private static ControlResult[] LabelControls(ExperimentAnalysis analysis) =>
        analysis.Controls.Where(c => c.Kind is "corrupt_labels" or "random_labels" && c.N > 0).ToArray();
}
