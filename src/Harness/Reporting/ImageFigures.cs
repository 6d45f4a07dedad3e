using System.Globalization;
using System.Security;
using System.Text;
using Harness.Tracking;
using SkiaSharp;

namespace Harness.Reporting;

/// <summary>
/// Figures made of images, composed with SkiaSharp: F5 (a panel of test images captioned with the predicted class,
/// confidence and true class; green when right, red when wrong) and F6 (gradient × input attribution in one colour
/// over the grayscale input, for each class). Each is written as PNG, as SVG with the tiles embedded, and with the
/// rows it shows as CSV. Both come from the first finished run that wrote the trainer's optional files.
/// </summary>
public static class ImageFigures
{
    private const int Tile = 160, Caption = 40, Pad = 10, TitleHeight = 34, MaxPanel = 16, PerClass = 4;
    private static readonly SKColor Right = SKColor.Parse(OkabeIto.BluishGreen), Wrong = SKColor.Parse(OkabeIto.Vermillion);

    private sealed record Cell(SKBitmap? Image, string[] Lines, SKColor Color);

    /// <summary>F5 from the first finished run with <c>panel.csv</c>, or null when none has one.</summary>
    public static FigureFile? PredictionPanel(ExperimentAnalysis analysis, string directory)
    {
        var run = analysis.Runs.FirstOrDefault(r => r.Measures.IsFinished && File.Exists(Path.Combine(r.Directory, "panel.csv")));
        if (run is null) return null;
        var table = TidyCsv.Read(Path.Combine(run.Directory, "panel.csv"));
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
        if (cells.Count == 0) return null;
        string name = "F5_prediction_panel";
        Compose($"Test predictions of run {run.Files.Record.Spec.DisplayName}", cells, Math.Min(4, cells.Count), directory, name);
        string csv = Path.Combine(directory, name + ".csv");
        TidyCsv.Write(csv, ["run_id", "file", "source", "true_class", "predicted_class", "confidence", "correct"], rows);
        return new FigureFile("F5", name, Path.Combine(directory, name + ".png"), Path.Combine(directory, name + ".svg"), csv,
            $"Test images of one run ({run.Files.Record.Spec.DisplayName}), each captioned with the predicted class, its confidence " +
            "and the true class; green when the prediction is right, red when wrong.");
    }

    /// <summary>F6 from the first finished run with <c>attribution.csv</c>, or null when none has one.</summary>
    public static FigureFile? AttributionMaps(ExperimentAnalysis analysis, string directory)
    {
        var run = analysis.Runs.FirstOrDefault(r => r.Measures.IsFinished && File.Exists(Path.Combine(r.Directory, "attribution.csv")));
        if (run is null) return null;
        var table = TidyCsv.Read(Path.Combine(run.Directory, "attribution.csv"));
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
        if (cells.Count == 0) return null;
        string name = "F6_attribution";
        Compose($"Gradient × input attribution, run {run.Files.Record.Spec.DisplayName}", cells, Math.Min(4, cells.Count), directory, name);
        string csv = Path.Combine(directory, name + ".csv");
        TidyCsv.Write(csv, ["run_id", "file", "image_file", "true_class", "predicted_class"], rows);
        return new FigureFile("F6", name, Path.Combine(directory, name + ".png"), Path.Combine(directory, name + ".svg"), csv,
            "Gradient × input attribution (vermillion, opacity proportional to magnitude) over the grayscale input image, " +
            $"up to {PerClass} test images per true class; each input is shown left of its map.");
    }

    private static string ClassName(string value, IReadOnlyList<string> classes) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < classes.Count
            ? classes[index] : value;

    private static SKBitmap? Load(string runDirectory, string file)
    {
        string path = Path.Combine(runDirectory, file);
        return File.Exists(path) ? SKBitmap.Decode(path) : null;
    }

    private static SKBitmap Grayscale(SKBitmap source)
    {
        var result = new SKBitmap(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < source.Height; y++)
            for (int x = 0; x < source.Width; x++)
            {
                var c = source.GetPixel(x, y);
                byte g = (byte)Math.Round(0.299 * c.Red + 0.587 * c.Green + 0.114 * c.Blue);
                result.SetPixel(x, y, new SKColor(g, g, g));
            }
        return result;
    }

    /// <summary>Attribution magnitude (normalized by its maximum) as vermillion opacity over the grayscale image.</summary>
    private static SKBitmap Overlay(SKBitmap gray, SKBitmap map)
    {
        using var scaled = map.Width == gray.Width && map.Height == gray.Height ? map.Copy() : map.Resize(new SKImageInfo(gray.Width, gray.Height), new SKSamplingOptions(SKFilterMode.Linear));
        double max = 1;
        for (int y = 0; y < scaled.Height; y++)
            for (int x = 0; x < scaled.Width; x++) max = Math.Max(max, scaled.GetPixel(x, y).Red);
        var result = new SKBitmap(gray.Width, gray.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        for (int y = 0; y < gray.Height; y++)
            for (int x = 0; x < gray.Width; x++)
            {
                double a = scaled.GetPixel(x, y).Red / max;
                byte g = gray.GetPixel(x, y).Red;
                byte Mix(byte over) => (byte)Math.Round(g * (1 - a) + over * a);
                result.SetPixel(x, y, new SKColor(Mix(Wrong.Red), Mix(Wrong.Green), Mix(Wrong.Blue)));
            }
        return result;
    }

    private static void Compose(string title, List<Cell> cells, int columns, string directory, string name)
    {
        int rowsCount = (cells.Count + columns - 1) / columns;
        int width = Pad + columns * (Tile + Pad), height = TitleHeight + rowsCount * (Tile + Caption + Pad) + Pad;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Pad}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{SecurityElement.Escape(title)}</text>\n");

        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = ScottPlot.Fonts.GetTypeface(ScottPlot.Fonts.GetDefaultFontFamily(), false, false);
        using var titleFont = new SKFont(typeface, 15);
        using var font = new SKFont(typeface, 12);
        using var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black };
        canvas.DrawText(title, Pad, 22, titleFont, paint);
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            int x = Pad + i % columns * (Tile + Pad), y = TitleHeight + i / columns * (Tile + Caption + Pad);
            var rect = SKRect.Create(x, y, Tile, Tile);
            if (cell.Image is { } image)
            {
                using var tile = image.Resize(new SKImageInfo(Tile, Tile), new SKSamplingOptions(SKFilterMode.Linear));
                canvas.DrawBitmap(tile, rect);
                using var data = tile.Encode(SKEncodedImageFormat.Png, 100);
                svg.Append(CultureInfo.InvariantCulture, $"<image x=\"{x}\" y=\"{y}\" width=\"{Tile}\" height=\"{Tile}\" href=\"data:image/png;base64,{Convert.ToBase64String(data.ToArray())}\"/>\n");
            }
            else
            {
                paint.Color = SKColors.LightGray;
                canvas.DrawRect(rect, paint);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{Tile}\" height=\"{Tile}\" fill=\"lightgray\"/>\n");
            }
            paint.Color = cell.Color;
            string hex = $"#{cell.Color.Red:X2}{cell.Color.Green:X2}{cell.Color.Blue:X2}";
            for (int l = 0; l < cell.Lines.Length; l++)
            {
                if (cell.Lines[l].Length == 0) continue;
                canvas.DrawText(cell.Lines[l], x, y + Tile + 15 + 15 * l, font, paint);
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{y + Tile + 15 + 15 * l}\" font-size=\"12\" fill=\"{hex}\">{SecurityElement.Escape(cell.Lines[l])}</text>\n");
            }
            paint.Color = SKColors.Black;
        }
        svg.Append("</svg>\n");
        using (var snapshot = surface.Snapshot())
        using (var png = snapshot.Encode(SKEncodedImageFormat.Png, 100))
            File.WriteAllBytes(Path.Combine(directory, name + ".png"), png.ToArray());
        AtomicFile.WriteAllText(Path.Combine(directory, name + ".svg"), svg.ToString());
        foreach (var c in cells) c.Image?.Dispose();
    }
}
