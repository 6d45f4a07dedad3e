using System.Globalization;
using Harness.Tracking;
using static Harness.Reporting.Figures.ImagePanel;

namespace Harness.Reporting.Figures;

/// <summary>
/// F5: test images of one run (the first finished run that wrote <c>panel.csv</c>), each captioned with the predicted
/// class, its confidence and the true class, green when right and red when wrong.
/// </summary>
internal sealed class PredictionPanelFigure : IReportFigure
{
    private const string PanelFile = "panel.csv";
    private const int MaxPanel = 16;

    public string Id => "F5";

    public string Name => "F5_prediction_panel";

    public bool AppliesTo(ExperimentAnalysis analysis) => FirstRunWith(analysis, PanelFile) is not null;

    public string Caption(ExperimentAnalysis analysis) =>
        $"Test images of one run ({FirstRunWith(analysis, PanelFile)!.Files.Record.Spec.DisplayName}), each captioned with the predicted class, its confidence " +
        "and the true class; green when the prediction is right, red when wrong.";

    public FigureFile Draw(ExperimentAnalysis analysis, string directory)
    {
        var run = FirstRunWith(analysis, PanelFile)!;
        var table = TidyCsv.Read(Path.Combine(run.Directory, PanelFile));
        var classes = run.Files.Record.ClassNames;
        var cells = new List<Cell>();
        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < Math.Min(MaxPanel, table.Rows.Count); i++)
        {
            string truth = ClassName(table.Text(i, "true_class"), classes), predicted = ClassName(table.Text(i, "predicted_class"), classes);
            double confidence = table.Number(i, "confidence");
            if (confidence <= 1) confidence *= 100;
            bool right = truth == predicted;
            cells.Add(new Cell(Load(run.Directory, table.Text(i, "file")),
                [$"predicted {predicted} ({confidence.ToString("0", CultureInfo.InvariantCulture)} %)", $"true {truth}"],
                right ? Right : Wrong));
            rows.Add([run.Measures.RunId, table.Text(i, "file"), table.Has("source") ? table.Text(i, "source") : "", truth, predicted,
                TidyCsv.Format(confidence / 100), right ? "true" : "false"]);
        }
        Compose($"Test predictions of run {run.Files.Record.Spec.DisplayName}", cells, Math.Min(4, cells.Count), directory, Name);
        string csv = Path.Combine(directory, Name + ".csv");
        TidyCsv.Write(csv, ["run_id", "file", "source", "true_class", "predicted_class", "confidence", "correct"], rows);
        return new FigureFile(Id, Name, Path.Combine(directory, Name + ".png"), Path.Combine(directory, Name + ".svg"), csv, Caption(analysis));
    }
}
