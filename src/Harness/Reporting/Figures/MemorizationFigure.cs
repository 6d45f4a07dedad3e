using System.Globalization;
using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>F9: the Kaplan–Meier curve of the runs not yet memorized, per group.</summary>
internal sealed class MemorizationFigure : IReportFigure
{
    public string Id => "F9";

    public string Name => "F9_memorization";

    public bool AppliesTo(ExperimentAnalysis analysis) => FinishedGroups(analysis).Length > 0;

    public string Caption(ExperimentAnalysis analysis) =>
        $"Kaplan–Meier estimate of the fraction of runs whose clean training accuracy has not yet reached 1 − ε " +
        $"(ε = {analysis.Options.MemorizationEpsilon.ToString("0.###E+0", CultureInfo.InvariantCulture)}); runs that never reach it are censored at their last epoch.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var groups = FinishedGroups(analysis);
        var colors = Colors(analysis);
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
        return Save(plot, this, analysis, directory, ["group", "epoch", "at_risk", "events", "censored", "not_yet_memorized"], rows);
    }
}
