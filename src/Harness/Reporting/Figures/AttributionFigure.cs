using Harness.Tracking;
using SkiaSharp;
using static Harness.Reporting.Figures.ImagePanel;

namespace Harness.Reporting.Figures;

/// <summary>
/// F6: gradient × input attribution of one run (the first finished run that wrote <c>attribution.csv</c>), in one colour
/// over the grayscale input, up to <see cref="PerClass"/> test images per true class.
/// </summary>
internal sealed class AttributionFigure : IReportFigure
{
    private const string AttributionFile = "attribution.csv";
    private const int PerClass = 4;

    public string Id => "F6";

    public string Name => "F6_attribution";

    public bool AppliesTo(ExperimentAnalysis analysis) => FirstRunWith(analysis, AttributionFile) is not null;

    public string Caption(ExperimentAnalysis analysis) =>
        "Gradient × input attribution (vermillion, opacity proportional to magnitude) over the grayscale input image, " +
        $"up to {PerClass} test images per true class; each input is shown left of its map.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var run = FirstRunWith(analysis, AttributionFile)!;
        var table = TidyCsv.Read(Path.Combine(run.Directory, AttributionFile));
        var classes = run.Files.Record.ClassNames;
        var picked = Enumerable.Range(0, table.Rows.Count)
            .GroupBy(i => ClassName(table.Text(i, "true_class"), classes))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Take(PerClass)).ToArray();
        var cells = new List<Cell>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (int i in picked)
        {
            string truth = ClassName(table.Text(i, "true_class"), classes), predicted = ClassName(table.Text(i, "predicted_class"), classes);
            using var image = Load(run.Directory, table.Text(i, "image_file"));
            using var map = Load(run.Directory, table.Text(i, "file"));
            var gray = image is null ? null : Grayscale(image);
            cells.Add(new Cell(gray, [$"true {truth}", $"predicted {predicted}"], truth == predicted ? Right : Wrong));
            cells.Add(new Cell(gray is null || map is null ? null : Overlay(gray, map), ["gradient × input", ""], SKColors.Black));
            rows.Add([run.Measures.RunId, table.Text(i, "file"), table.Text(i, "image_file"), truth, predicted]);
        }
        Compose($"Gradient × input attribution, run {run.Files.Record.Spec.DisplayName}", cells, Math.Min(4, cells.Count), directory, Name);
        string csv = Path.Combine(directory, Name + ".csv");
        TidyCsv.Write(csv, ["run_id", "file", "image_file", "true_class", "predicted_class"], rows);
        return new FigureFile(Id, Name, Path.Combine(directory, Name + ".png"), Path.Combine(directory, Name + ".svg"), csv, Caption(analysis));
    }
}
