namespace Harness.Reporting;

/// <summary>What <see cref="ExperimentReport.Write"/> wrote.</summary>
/// <param name="ReportDirectory">The report folder, <c>results/EXP/report</c>.</param>
/// <param name="Markdown">report.md.</param>
/// <param name="Html">report.html (self-contained).</param>
/// <param name="SummaryCsv">summary.csv: one row per group, run set (all, learned) and measure.</param>
/// <param name="RunsCsv">runs.csv: one row per run.</param>
/// <param name="OutcomesCsv">outcomes.csv: training outcomes (learned, stuck at chance, collapsed) per group.</param>
/// <param name="TestAccuracyCsv">test_accuracy.csv (comparison, test_accuracy) for the published R scripts.</param>
/// <param name="TrainingAccuracyCsv">training_accuracy.csv (comparison, epoch, training.accuracy).</param>
/// <param name="Figures">Figures drawn, with their data files.</param>
/// <param name="Analysis">The numbers behind every file.</param>
public sealed record ReportResult(
    string ReportDirectory, string Markdown, string Html, string SummaryCsv, string RunsCsv, string OutcomesCsv,
    string TestAccuracyCsv, string TrainingAccuracyCsv, IReadOnlyList<FigureFile> Figures, ExperimentAnalysis Analysis);
