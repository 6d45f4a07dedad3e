using System.Globalization;
using System.Security;
using System.Text;
using Harness.Tracking;
using SkiaSharp;

namespace Harness.Reporting.Figures;

/// <summary>
/// What the figures made of images (F5, F6) share, composed with SkiaSharp: a grid of tiles, each captioned in the
/// colour of a right (green) or wrong (red) prediction, written as PNG and as SVG with the tiles embedded; and the
/// run they show, the first finished run that wrote the trainer's optional file.
/// </summary>
internal static class ImagePanel
{
    private const int Tile = 160, Caption = 40, Pad = 10, TitleHeight = 34;

    /// <summary>Caption colours of a right and a wrong prediction; <see cref="Wrong"/> also tints attribution.</summary>
    public static readonly SKColor Right = SKColor.Parse(OkabeIto.BluishGreen), Wrong = SKColor.Parse(OkabeIto.Vermillion);

    /// <summary>One tile: an image (grey when missing), its caption lines and their colour.</summary>
    public sealed record Cell(SKBitmap? Image, string[] Lines, SKColor Color);

    /// <summary>The first finished run that wrote <paramref name="file"/> (e.g. <c>panel.csv</c>) with at least one row, or null.</summary>
    public static ReportRun? FirstRunWith(ExperimentAnalysis analysis, string file)
    {
        var run = analysis.Runs.FirstOrDefault(r => r.Measures.IsFinished && File.Exists(Path.Combine(r.Directory, file)));
        return run is not null && TidyCsv.Read(Path.Combine(run.Directory, file)).Rows.Count > 0 ? run : null;
    }

    public static string ClassName(string value, IReadOnlyList<string> classes) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) && index >= 0 && index < classes.Count
            ? classes[index] : value;

    public static SKBitmap? Load(string runDirectory, string file)
    {
        string path = Path.Combine(runDirectory, file);
        return File.Exists(path) ? SKBitmap.Decode(path) : null;
    }

    public static SKBitmap Grayscale(SKBitmap source)
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
    public static SKBitmap Overlay(SKBitmap gray, SKBitmap map)
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

    /// <summary>Writes <paramref name="cells"/> as a grid of <paramref name="columns"/> under <paramref name="title"/> to NAME.png and NAME.svg; disposes their images.</summary>
    public static void Compose(string title, List<Cell> cells, int columns, string directory, string name)
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
