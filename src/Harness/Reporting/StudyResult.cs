namespace Harness.Reporting;

/// <summary>What <see cref="StudyReport.Write"/> wrote.</summary>
/// <param name="Directory">The study folder, e.g. <c>results/study</c>.</param>
/// <param name="Markdown">study.md.</param>
/// <param name="Html">study.html (self-contained: figures embedded).</param>
/// <param name="Csv">study.csv: one row per published number.</param>
/// <param name="FindingsCsv">findings.csv: one row per finding with its verdict.</param>
/// <param name="Entries">Every experiment looked for, run or not.</param>
/// <param name="Findings">The six findings with their verdicts.</param>
public sealed record StudyResult(
    string Directory, string Markdown, string Html, string Csv, string FindingsCsv,
    IReadOnlyList<StudyEntry> Entries, IReadOnlyList<StudyFinding> Findings);
