using Harness.Reporting.Figures;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>
/// Entry point of <c>harness report</c>: reads every run of an experiment, computes the statistics across seeds,
/// draws the figures and writes <c>results/EXP/report/</c>: report.md, report.html (self-contained), summary.csv,
/// runs.csv, outcomes.csv, test_accuracy.csv, training_accuracy.csv and figures/.
/// </summary>
public static class ExperimentReport
{
    /// <summary>
    /// Writes the report of the experiment at <paramref name="layout"/> into <paramref name="outputDirectory"/> (by
    /// default <c>results/EXP/report</c>; the runs are only read); <paramref name="published"/> adds the published-versus-reproduced table.
    /// </summary>
    public static ReportResult Write(ResultsLayout layout, PublishedSpec? published, ReportOptions options, string? outputDirectory = null)
    {
        var analysis = ExperimentAnalysis.Analyze(layout, published, options);
        string dir = outputDirectory ?? layout.ReportDirectory;
        Directory.CreateDirectory(dir);
        var figures = options.Figures ? ReportFigures.Write(analysis, Path.Combine(dir, "figures")) : [];

        var result = new ReportResult(dir, Path.Combine(dir, "report.md"), Path.Combine(dir, "report.html"),
            Path.Combine(dir, "summary.csv"), Path.Combine(dir, "runs.csv"), Path.Combine(dir, "outcomes.csv"), Path.Combine(dir, "test_accuracy.csv"),
            Path.Combine(dir, "training_accuracy.csv"), figures, analysis);
        ReportTables.WriteSummary(analysis, result.SummaryCsv);
        ReportTables.WriteRuns(analysis, result.RunsCsv);
        ReportTables.WriteOutcomes(analysis, result.OutcomesCsv);
        ReportTables.WriteTestAccuracy(analysis, result.TestAccuracyCsv);
        ReportTables.WriteTrainingAccuracy(analysis, result.TrainingAccuracyCsv);

        var text = ReportComposer.Compose(analysis, figures);
        AtomicFile.WriteAllText(result.Markdown, text.Markdown);
        AtomicFile.WriteAllText(result.Html, text.Html($"Results: {analysis.Experiment}"));
        return result;
    }
}
