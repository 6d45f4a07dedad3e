namespace Harness.Reporting.Figures;

/// <summary>
/// The registry of the report's figures: every figure a report can show, one line each, in the order the report shows
/// them. The report draws each one the analysis allows (PNG, SVG and its data as CSV) and captions it from here.
/// </summary>
public static class ReportFigures
{
    /// <summary>Every figure, in report order.</summary>
    public static readonly IReadOnlyList<IReportFigure> All =
    [
        new FinalTestAccuracyFigure(),
        new TrainingAccuracyFigure(),
        new TrainingAccuracyFigure(running: true),
        new PredictionPanelFigure(),
        new AttributionFigure(),
        new HistoryFigure(accuracy: true),
        new HistoryFigure(accuracy: false),
        new ControlCurveFigure(),
        new MemorizationFigure(),
    ];

    /// <summary>Draws every figure the analysis allows into <paramref name="directory"/>, in report order.</summary>
    public static IReadOnlyList<FigureFile> Write(ExperimentAnalysis analysis, string directory)
    {
        Directory.CreateDirectory(directory);
        return All.Where(f => f.AppliesTo(analysis)).Select(f => f.Draw(analysis, directory)).ToArray();
    }
}
