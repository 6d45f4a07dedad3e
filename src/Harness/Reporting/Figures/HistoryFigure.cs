using ScottPlot;
using static Harness.Reporting.Figures.FigurePlot;

namespace Harness.Reporting.Figures;

/// <summary>
/// F7: the training history, training and test accuracy (or loss) per epoch, mean over the runs that learned with its
/// band; accuracy and loss are two panels of F7, one entry each in the registry.
/// </summary>
/// <param name="accuracy">True for the accuracy panel, false for the loss panel.</param>
internal sealed class HistoryFigure(bool accuracy) : IReportFigure
{
    private string What => accuracy ? "accuracy" : "loss";

    public string Id => "F7";

    public string Name => $"F7_{What}_history";

    public bool AppliesTo(ExperimentAnalysis analysis) => FinishedGroups(analysis).Length > 0;

    public string Caption(ExperimentAnalysis analysis) =>
        $"Training history, {What}: training (solid) and test (dashed) {What} per epoch, mean over the finished runs that learned with the " +
        EpochBand.Method + ".";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var groups = FinishedGroups(analysis);
        var colors = Colors(analysis);
        var plot = NewPlot($"Training history: {What} (mean over runs)", "epoch", accuracy ? "accuracy (%)" : "loss (cross-entropy)");
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
        return Save(plot, this, analysis, directory, ["group", "series", "run_id", "epoch", "value"], rows);
    }
}
