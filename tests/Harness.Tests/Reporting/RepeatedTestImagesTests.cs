using Harness.Data;
using Harness.Reporting;
using Harness.Tracking;

namespace Harness.Tests.Reporting;

/// <summary>
/// A test set that holds each image under several names (the published Snf7 folders saved every tile 20 times,
/// unrotated) holds far fewer distinct images than files: each run records how many (run.yaml), and the report says how
/// few its test accuracy rests on and what that leaves out of its intervals, whatever the data's source.
/// </summary>
public sealed class RepeatedTestImagesTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-repeated-" + Guid.NewGuid().ToString("N")[..8]);

    private static Dictionary<string, string> Counts(string train, string test) =>
        new() { [DistinctImageNotes.Key("train")] = train, [DistinctImageNotes.Key("test")] = test };

    [Fact]
    public void The_report_names_how_few_distinct_images_a_test_set_of_repeated_files_holds()
    {
        var layout = TinyExperiment.Write(root,
        [
            new("snf7", 1, [(0.70, 0.50), (1.00, 0.50)], Notes: Counts("58 of 400", "32 of 640")),
            new("snf7", 2, [(0.80, 0.60), (1.00, 0.625)], Notes: Counts("61 of 400", "32 of 640")),
            new("snap29", 1, [(0.70, 0.80), (0.90, 0.90)], Preset: "snap29-like", Notes: Counts("400 of 400", "640 of 640")),
            new("snap29", 2, [(0.72, 0.82), (0.92, 0.91)], Preset: "snap29-like", Notes: Counts("400 of 400", "640 of 640")),
            new("old", 1, [(0.70, 0.80), (0.90, 0.90)]), // a run from before the counts were recorded
            new("old", 2, [(0.72, 0.82), (0.92, 0.91)]),
        ]);

        var analysis = ExperimentAnalysis.Analyze(layout, null, new ReportOptions(BootstrapResamples: 200, Figures: false));

        // Mean final test accuracy (0.5 + 0.625) / 2 = 0.5625: binomial standard error sqrt(0.5625 x 0.4375 / 32) = 8.8 points.
        var line = Assert.Single(analysis.Limitations, l => l.StartsWith("snf7: its test set holds", StringComparison.Ordinal));
        Assert.Contains("32 distinct images in 640 files (20 copies of each on average)", line);
        Assert.Contains("steps of 3.1 percentage points", line);
        Assert.Contains("binomial standard error 8.8 percentage points at its mean final test accuracy of 56.3 %", line);
        Assert.DoesNotContain(analysis.Limitations, l => l.StartsWith("snap29: its test set", StringComparison.Ordinal) || l.StartsWith("old: its test set", StringComparison.Ordinal));

        Assert.Equal("Each run's 400 training images held 58–61 distinct ones.", ExperimentAnalysis.RepeatedTrainingImages(analysis.Groups.Single(g => g.Key == "snf7")));
        Assert.Null(ExperimentAnalysis.RepeatedTrainingImages(analysis.Groups.Single(g => g.Key == "snap29")));
        Assert.Null(ExperimentAnalysis.RepeatedTrainingImages(analysis.Groups.Single(g => g.Key == "old")));
    }

    [Fact]
    public void The_study_says_it_beside_the_published_snf7_test_accuracy()
    {
        var layout = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29"),
        [
            new("snf7", 1, [(0.90, 0.50), (1.00, 0.50)], Notes: Counts("64 of 400", "32 of 640")),
            new("snf7", 2, [(0.95, 0.60), (1.00, 0.625)], Notes: Counts("64 of 400", "32 of 640")),
            new("snap29", 1, [(0.70, 0.80), (0.90, 0.90)], Preset: "snap29-like"),
            new("snap29", 2, [(0.72, 0.82), (0.92, 0.91)], Preset: "snap29-like"),
        ]);

        var study = StudyReport.Write([new StudyExperiment("snf7_vs_snap29", layout.ExperimentDirectory, null)],
            Path.Combine(root, "study"), new ReportOptions(BootstrapResamples: 200, Figures: false));

        var snf = study.Findings.Single(f => f.Number == 2).Paragraph;
        Assert.Contains("Test images: snf7: its test set holds 32 distinct images in 640 files", snf);
        Assert.DoesNotContain("Test images:", study.Findings.Single(f => f.Number == 1).Paragraph);
    }

    [Fact]
    public void A_run_records_the_distinct_images_of_its_draw_and_test_sets_and_its_report_names_them()
    {
        // One field per split, cut 2 x 2, copies at 0/90/180/270 degrees: 2 classes x 4 tiles x 4 names = 32 files per set.
        string yaml = Harness.Tests.TinyExperiment.Yaml;
        using var tiny = new Harness.Tests.TinyExperiment(yaml[..yaml.IndexOf("conditions:", StringComparison.Ordinal)] + """
            conditions:
              identical:
                data:
                  synthetic: {preset: snf7-like, data_seed: 7, size: 32, fields: {train: 1, test: 1, test_sets: 2, grid: 2, rotation_step: 90, copies: identical}}
                  train_subset: 20
              rotated:
                data:
                  synthetic: {preset: snf7-like, data_seed: 7, size: 32, fields: {train: 1, test: 1, test_sets: 2, grid: 2, rotation_step: 90}}
            """);
        var result = tiny.Run(tiny.Plan("seeds=1", "epochs=1"));
        Assert.Equal(2, result.Finished);

        var layout = tiny.Layout();
        RunRecord Record(string condition) => RunRecordYaml.Read(layout.RunYaml(tiny.Plan("seeds=1", "epochs=1").Single(r => r.Condition == condition).RunId));
        var identical = Record("identical").DataNotes;
        Assert.Equal("8 of 32", identical[DistinctImageNotes.Key("test")]);
        Assert.Equal("8 of 32", identical[DistinctImageNotes.Key("test_test2")]);
        var (drawn, used) = DistinctImageNotes.Read(identical, "train")!.Value;
        Assert.Equal(20, used);
        Assert.InRange(drawn, 2, 8); // a draw of 20 from 8 tiles x 4 names
        var rotated = Record("rotated").DataNotes;
        Assert.Equal("32 of 32", rotated[DistinctImageNotes.Key("test")]);
        Assert.Equal("32 of 32", rotated[DistinctImageNotes.Key("train")]);

        var analysis = ExperimentAnalysis.Analyze(layout, null, new ReportOptions(BootstrapResamples: 200, Figures: false));
        Assert.Contains(analysis.Limitations, l => l.StartsWith("identical: its test set holds 8 distinct images in 32 files (4 copies of each on average)", StringComparison.Ordinal));
        Assert.DoesNotContain(analysis.Limitations, l => l.StartsWith("rotated: its test set", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
