using Harness.Reporting;
using Harness.Specs;

namespace Harness.Tests.Reporting;

/// <summary>
/// A synthetic test set whose tiles are saved under every angle's name unrotated (<c>copies: identical</c>) holds far
/// fewer distinct images than files: the report says how few, and what that leaves out of its intervals.
/// </summary>
public sealed class RepeatedTestImagesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-repeated-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void The_report_names_how_few_distinct_images_a_test_set_of_identical_copies_holds()
    {
        var identical = new SyntheticFieldsSpec(Copies: SyntheticFieldsSpec.IdenticalCopies);
        var rotated = new SyntheticFieldsSpec();
        var layout = TinyExperiment.Write(root,
        [
            new("snf7", 1, [(0.70, 0.50), (1.00, 0.50)], Fields: identical),
            new("snf7", 2, [(0.80, 0.60), (1.00, 0.625)], Fields: identical),
            new("snap29", 1, [(0.70, 0.80), (0.90, 0.90)], Preset: "snap29-like", Fields: rotated),
            new("snap29", 2, [(0.72, 0.82), (0.92, 0.91)], Preset: "snap29-like", Fields: rotated),
        ]);

        var limitations = ExperimentAnalysis.Analyze(layout, null, new ReportOptions(BootstrapResamples: 200, Figures: false)).Limitations;

        // 2 classes x 1 test field x 4 x 4 tiles = 32 distinct images, each saved under 20 angles: 640 files.
        // Mean final test accuracy (0.5 + 0.625) / 2 = 0.5625: binomial standard error sqrt(0.5625 x 0.4375 / 32) = 8.8 points.
        var line = Assert.Single(limitations, l => l.StartsWith("snf7: each test set holds", StringComparison.Ordinal));
        Assert.Contains("32 distinct images, each saved 20 times (640 files; copies: identical)", line);
        Assert.Contains("steps of 3.1 percentage points", line);
        Assert.Contains("binomial standard error 8.8 percentage points at its mean final test accuracy of 56.3 %", line);
        Assert.DoesNotContain(limitations, l => l.StartsWith("snap29: each test set holds", StringComparison.Ordinal));
    }

    [Fact]
    public void The_study_says_it_beside_the_published_snf7_test_accuracy()
    {
        var identical = new SyntheticFieldsSpec(Copies: SyntheticFieldsSpec.IdenticalCopies);
        var layout = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29"),
        [
            new("snf7", 1, [(0.90, 0.50), (1.00, 0.50)], Fields: identical),
            new("snf7", 2, [(0.95, 0.60), (1.00, 0.625)], Fields: identical),
            new("snap29", 1, [(0.70, 0.80), (0.90, 0.90)], Preset: "snap29-like"),
            new("snap29", 2, [(0.72, 0.82), (0.92, 0.91)], Preset: "snap29-like"),
        ]);

        var study = StudyReport.Write([new StudyExperiment("snf7_vs_snap29", layout.ExperimentDirectory, null)],
            Path.Combine(root, "study"), new ReportOptions(BootstrapResamples: 200, Figures: false));

        var snf = study.Findings.Single(f => f.Number == 2).Paragraph;
        Assert.Contains("Test images: snf7: each test set holds 32 distinct images, each saved 20 times", snf);
        Assert.DoesNotContain("Test images:", study.Findings.Single(f => f.Number == 1).Paragraph);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
