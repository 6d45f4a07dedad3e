using Harness.Reporting;
using Harness.Reporting.Figures;

namespace Harness.Tests.Reporting;

/// <summary>
/// The figure registry is the one list of the report's figures: each figure that applies is drawn (PNG, SVG, CSV),
/// named and captioned in the report, and the report writes no figure file the registry does not list.
/// </summary>
public sealed class ReportFiguresTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-figures-" + Guid.NewGuid().ToString("N")[..8]);

    private ReportResult Report(string name, IReadOnlyList<TinyExperiment.Run> runs, bool images)
    {
        var layout = TinyExperiment.Write(Path.Combine(root, name), runs, images);
        return ExperimentReport.Write(layout, null, ReportOptions.Default with { BootstrapResamples = 200 });
    }

    private static string[] FilesOf(ReportResult result) =>
        Directory.GetFiles(Path.Combine(result.ReportDirectory, "figures")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    private static string[] FilesOf(IEnumerable<IReportFigure> figures) =>
        figures.SelectMany(f => new[] { f.Name + ".csv", f.Name + ".png", f.Name + ".svg" }).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void Figure_names_are_unique_and_begin_with_their_id()
    {
        Assert.Equal(ReportFigures.All.Count, ReportFigures.All.Select(f => f.Name).Distinct().Count());
        Assert.All(ReportFigures.All, f => Assert.StartsWith(f.Id + "_", f.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void With_controls_and_image_files_every_figure_of_the_registry_is_drawn_in_registry_order()
    {
        var result = Report("all", TinyExperiment.WithLabelControls(), images: true);
        Assert.All(ReportFigures.All, f => Assert.True(f.AppliesTo(result.Analysis), $"{f.Name} does not apply"));
        Assert.Equal(ReportFigures.All.Select(f => f.Name), result.Figures.Select(f => f.Name));
        Assert.Equal(FilesOf(ReportFigures.All), FilesOf(result));
    }

    [Fact]
    public void Each_figure_drawn_is_shown_and_captioned_in_the_report()
    {
        var result = Report("all", TinyExperiment.WithLabelControls(), images: true);
        string md = File.ReadAllText(result.Markdown), html = File.ReadAllText(result.Html);
        foreach (var (figure, drawn) in ReportFigures.All.Zip(result.Figures))
        {
            Assert.Equal((figure.Id, figure.Name, figure.Caption(result.Analysis)), (drawn.Id, drawn.Name, drawn.Caption));
            Assert.Contains($"![{figure.Id}](figures/{figure.Name}.png)", md);
            Assert.Contains($"*{figure.Id}. {figure.Caption(result.Analysis)}*", md);
            Assert.Contains($"<code>figures/{figure.Name}.csv</code>", html);
        }
    }

    [Fact]
    public void A_figure_that_does_not_apply_is_neither_drawn_nor_named()
    {
        // No controls and no image files: F5, F6 and F8 have nothing to show.
        var result = Report("plain", TinyExperiment.Standard(), images: false);
        var applying = ReportFigures.All.Where(f => f.AppliesTo(result.Analysis)).ToArray();
        Assert.Equal(["F1", "F2", "F2r", "F7", "F7", "F9"], applying.Select(f => f.Id));
        Assert.Equal(FilesOf(applying), FilesOf(result));
        string md = File.ReadAllText(result.Markdown);
        foreach (var absent in ReportFigures.All.Except(applying)) Assert.DoesNotContain(absent.Name, md);
    }

    [Fact]
    public void Dashed_and_dotted_lines_stay_dashed_and_dotted_in_the_svg()
    {
        // F7 draws test curves dashed; F2 joins a collapsed run's points with a dotted line. Skia's SVG writer alone
        // would draw both solid (and print "Unsupported path effect in addPaint").
        var result = Report("patterns", TinyExperiment.Outcomes(), images: false);
        string F(string name) => File.ReadAllText(result.Figures.Single(f => f.Name == name).Svg);
        string history = F("F7_accuracy_history"), training = F("F2_training_accuracy");
        Assert.Equal(2 * 2, System.Text.RegularExpressions.Regex.Count(history, "stroke-dasharray=\"10 10\""));   // 2 groups' test curves and their legend lines
        Assert.Contains("stroke-dasharray=\"3 5\"", training);
        Assert.Matches("stroke=\"#[0-9A-F]{6}\" stroke-opacity=\"0\\.49\\d*\" stroke-dasharray=\"3 5\"", training);
        Assert.DoesNotContain("stroke=\"#0102", history + training, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
