namespace Harness.Reporting.Figures;

/// <summary>
/// One figure of an experiment's report: what it is called, when the runs allow it, its caption, and how it is drawn.
/// A new figure is one class implementing this and one line in <see cref="ReportFigures.All"/>; the report draws,
/// captions and lists it from there, so no list of figures is typed anywhere else.
/// </summary>
public interface IReportFigure
{
    /// <summary>The id the report cites, e.g. <c>F1</c>; figures that share an id are two panels of one figure (F7: accuracy, loss).</summary>
    string Id { get; }

    /// <summary>The stem of its PNG, SVG and CSV files, e.g. <c>F1_final_test_accuracy</c>; unique in the registry.</summary>
    string Name { get; }

    /// <summary>Whether the analysis holds what the figure shows (finished runs; controls at two fractions; a run's image files).</summary>
    bool AppliesTo(ExperimentAnalysis analysis);

    /// <summary>The caption the report prints under the figure.</summary>
    string Caption(ExperimentAnalysis analysis);

    /// <summary>
    /// Writes <see cref="Name"/>.png, .svg and .csv (the data drawn) into <paramref name="directory"/>; called only when
    /// <see cref="AppliesTo"/> holds.
    /// </summary>
    FigureFile Draw(ExperimentAnalysis analysis, string directory);
}
