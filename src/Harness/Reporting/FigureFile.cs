namespace Harness.Reporting;

/// <summary>One figure as written: an id (F1, F2, ...), its PNG and SVG, the CSV of its data, and a caption.</summary>
/// <param name="Id">Figure id, e.g. <c>F1</c>.</param>
/// <param name="Name">File stem, e.g. <c>F1_final_test_accuracy</c>.</param>
/// <param name="Png">PNG path.</param>
/// <param name="Svg">SVG path.</param>
/// <param name="Csv">Data path.</param>
/// <param name="Caption">Caption, as in the report.</param>
public sealed record FigureFile(string Id, string Name, string Png, string Svg, string Csv, string Caption);
