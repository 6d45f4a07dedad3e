using Harness.Reporting;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Tests.Reporting;

/// <summary>
/// The study over the checked-in fixtures: the tiny experiment stands for snf7_vs_snap29 (Snap29 generalizes, Snf7
/// memorizes), the outcome experiment for the monocolour one (a stuck Snap29 run drags its mean away from colour),
/// the AlexNet clone has no results folder, and Fashion-MNIST was skipped for absent data.
/// </summary>
public sealed class StudyReportTests(ReportFixture tiny, OutcomeReportFixture outcome)
    : IClassFixture<ReportFixture>, IClassFixture<OutcomeReportFixture>, IDisposable
{
    private static readonly ReportOptions Fast = new(BootstrapResamples: 1000, Figures: false);

    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-study-" + Guid.NewGuid().ToString("N")[..8]);

    private StudyResult Write()
    {
        var colourPublished = new PublishedSpec("blog posts", [
            new PublishedValue("snap29", "final_test_accuracy", 0.96, "about 96 %"),
            new PublishedValue("snf7", "final_test_accuracy", 0.62, "mean test accuracy"),
        ]);
        var fmnist = new PublishedSpec("blog posts", [new PublishedValue("deep_fmnist", "final_test_accuracy", 0.91, "> 91 %")]);
        return StudyReport.Write([
            new StudyExperiment("snf7_vs_snap29", tiny.Layout.ExperimentDirectory, colourPublished),
            new StudyExperiment("snf7_vs_snap29_mono", outcome.Layout.ExperimentDirectory, colourPublished),
            new StudyExperiment("snf7_vs_snap29_alexnet", Path.Combine(root, "absent"), null),
            new StudyExperiment("fashion_mnist", Path.Combine(root, "fashion_mnist"), fmnist, "its data are not reachable: folder not found: /usr/share/datasets/fashion-mnist"),
        ], Path.Combine(root, "study"), Fast);
    }

    [Fact]
    public void Study_csv_has_one_row_per_published_number_with_its_reproduction()
    {
        var study = Write();
        var table = TidyCsv.Read(study.Csv);
        Assert.Equal(StudyReport.CsvColumns, table.Columns);
        Assert.Equal(5, table.Rows.Count);
        int Row(string exp, string condition) =>
            Enumerable.Range(0, table.Rows.Count).First(i => table.Text(i, "experiment") == exp && table.Text(i, "condition") == condition);
        int snf7 = Row("snf7_vs_snap29", "snf7");
        Assert.Equal(0.61, table.Number(snf7, "reproduced"), 12);
        Assert.Equal(3, table.Number(snf7, "n"));
        Assert.Equal("yes", table.Text(snf7, "inside"));
        Assert.True(table.Number(snf7, "ci_low") <= 0.62 && table.Number(snf7, "ci_high") >= 0.62);
        int stuck = Row("snf7_vs_snap29_mono", "snap29");
        Assert.Equal(4, table.Number(stuck, "runs_finished"));
        Assert.Equal(3, table.Number(stuck, "runs_learned"));
        Assert.Equal(1, table.Number(stuck, "runs_stuck"));
        int skipped = Row("fashion_mnist", "deep_fmnist");
        Assert.Equal("", table.Text(skipped, "reproduced"));
        Assert.StartsWith("not run: its data are not reachable", table.Text(skipped, "status"));
    }

    [Fact]
    public void Reproduced_findings_say_so_with_their_rule()
    {
        var study = Write();
        var snap = study.Findings.Single(f => f.Number == 1);
        Assert.Equal(StudyVerdict.Reproduced, snap.Verdict);
        Assert.Contains("mean final test accuracy 95.0 % [95 % CI", snap.Paragraph);
        Assert.Contains("Rule: reproduced when the mean final test accuracy over all finished runs is at least 90 %", snap.Paragraph);
        Assert.DoesNotContain("lies inside the 95 % CI", snap.Paragraph); // 95.0 % [94-96]: the verdict is clear
        // Beside the clean training accuracy, the running one Keras reported (the fixture's: 2 points lower, 92 %).
        Assert.Contains("running (training-mode, as Keras reported it) 92.0 % [95 % CI", snap.Paragraph);
        Assert.Contains("94 % outside the interval", snap.Paragraph);
        var snf = study.Findings.Single(f => f.Number == 2);
        Assert.Equal(StudyVerdict.Reproduced, snf.Verdict);
        Assert.Contains("Kaplan–Meier median memorization epoch 3", snf.Paragraph);
        Assert.Contains("62 % inside the interval", snf.Paragraph);
    }

    [Fact]
    public void A_finding_the_numbers_contradict_is_not_reproduced_and_says_why()
    {
        var mono = Write().Findings.Single(f => f.Number == 3);
        Assert.Equal(StudyVerdict.NotReproduced, mono.Verdict);
        Assert.Contains("snap29 monocolour 83.8 %", mono.Paragraph);
        Assert.Contains("not within 5.0 percentage points", mono.Paragraph);
        Assert.Contains("Not all hold: not reproduced.", mono.Paragraph);
    }

    [Fact]
    public void Experiments_without_runs_are_not_run_with_the_reason()
    {
        var study = Write();
        Assert.Equal(StudyVerdict.NotRun, study.Findings.Single(f => f.Number == 4).Verdict);
        Assert.Contains("no results folder", study.Findings.Single(f => f.Number == 4).Paragraph);
        var fmnist = study.Findings.Single(f => f.Number == 5);
        Assert.Equal(StudyVerdict.NotRun, fmnist.Verdict);
        Assert.Contains("Not run: fashion_mnist: its data are not reachable", fmnist.Paragraph);
        Assert.Contains("cifar10_dropout was not part of this study", study.Findings.Single(f => f.Number == 6).Paragraph);
        string md = File.ReadAllText(study.Markdown);
        Assert.Contains("### 4. The AlexNet clone overfits both datasets, with lower test accuracy: not run", md);
        Assert.Contains("| fashion_mnist | not run: its data are not reachable", md);
        Assert.Equal(6, TidyCsv.Read(study.FindingsCsv).Rows.Count);
    }

    [Fact]
    public void Figures_of_each_report_are_copied_and_referenced()
    {
        var study = Write();
        var figures = study.Entries.Single(e => e.Experiment.Name == "snf7_vs_snap29").Figures;
        Assert.Contains(figures, f => f.Name.StartsWith("snf7_vs_snap29_F1", StringComparison.Ordinal));
        Assert.All(figures, f => Assert.True(File.Exists(f.Png), f.Png));
        string md = File.ReadAllText(study.Markdown);
        Assert.Contains("](figures/snf7_vs_snap29_F1", md);
        Assert.Contains("data:image/png;base64,", File.ReadAllText(study.Html));
    }

    [Fact]
    public void The_published_block_of_a_spec_is_read_without_loading_its_data()
    {
        string spec = "name: x\nconditions:\n  a:\n    data:\n      folders: {train: /nowhere}\npublished:\n  source: s\n  values:\n" +
                      "    - {condition: a, measure: final_test_accuracy, value: 0.5307, note: \"n\"}\n";
        var published = StudyReport.PublishedOf(spec);
        Assert.NotNull(published);
        Assert.Equal(0.5307, Assert.Single(published.Values).Value);
        Assert.Null(StudyReport.PublishedOf("name: x\n"));
    }

    [Fact]
    public void The_alexnet_finding_compares_how_fast_each_dataset_fits_by_the_running_and_by_the_clean_accuracy()
    {
        // As measured with the AlexNet clone: Snap29 fits in training mode (running accuracy) faster than Snf7, while its
        // clean accuracy lags: the two measures disagree on the published "Snf7 rises faster", and the study says so.
        TinyExperiment.Run Snap(int seed) => new("snap29", seed, [(0.55, 0.50), (0.62, 0.52), (0.66, 0.53), (0.73, 0.55)],
            Preset: "snap29-like", Bayes: 0.98, Running: [0.60, 0.80, 0.90, 0.94]);
        TinyExperiment.Run Snf(int seed) => new("snf7", seed, [(0.60, 0.55), (0.70, 0.58), (0.80, 0.60), (0.86, 0.60)],
            Running: [0.55, 0.65, 0.75, 0.81]);
        var alex = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29_alexnet"), [Snap(1), Snap(2), Snf(1), Snf(2)]);
        var study = StudyReport.Write([
            new StudyExperiment("snf7_vs_snap29", tiny.Layout.ExperimentDirectory, null),
            new StudyExperiment("snf7_vs_snap29_alexnet", alex.ExperimentDirectory, null),
        ], Path.Combine(root, "study"), Fast);
        var finding = study.Findings.Single(f => f.Number == 4).Paragraph;
        Assert.Contains("running (training mode, as Keras reported it and the published curves show it): Snf7 69.0 %, Snap29 81.0 %", finding);
        Assert.Contains("clean: Snf7 74.0 %, Snap29 64.0 %", finding);
        Assert.Contains("by the running accuracy not so here, by the clean accuracy so here too; not part of the rule", finding);
        // The gap as a Keras user saw it (running training accuracy - test) beside the clean one the rule uses.
        Assert.Contains("gap 18.0 percentage points (severe; 39.0 percentage points from the running training accuracy Keras reported;", finding);
        Assert.Contains("gap 26.0 percentage points (severe; 21.0 percentage points from the running training accuracy Keras reported;", finding);
    }

    [Fact]
    public void A_verdict_whose_threshold_lies_inside_the_interval_says_it_rests_on_the_point_estimate()
    {
        // Snap29 at 89.3 % with one weak run: below the 90 % of the rule, but 90 % is inside the interval.
        TinyExperiment.Run Snap(int seed, double test) => new("snap29", seed, [(0.80, test - 0.05), (0.95, test)], Preset: "snap29-like", Bayes: 0.98);
        var layout = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29"),
        [
            Snap(1, 0.80), Snap(2, 0.95), Snap(3, 0.93),
            new("snf7", 1, [(0.90, 0.55), (1.00, 0.55)]), new("snf7", 2, [(0.95, 0.60), (1.00, 0.60)]),
        ]);
        var study = StudyReport.Write([new StudyExperiment("snf7_vs_snap29", layout.ExperimentDirectory, null)], Path.Combine(root, "study"), Fast);
        var snap = study.Findings.Single(f => f.Number == 1);
        Assert.Equal(StudyVerdict.NotReproduced, snap.Verdict);
        Assert.Contains("It is not (89.3 % < 90 %): not reproduced. 90.0 % lies inside the 95 % CI, so the verdict rests on the point estimate", snap.Paragraph);

        // Monocolour: snf7 3.5 points from colour, from two runs that differ by 10: the 5-point tolerance is inside the
        // difference's interval. Fashion-MNIST: deep at 91.5 % with 91 % inside its interval.
        var mono = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29_mono"),
        [
            Snap(1, 0.80), Snap(2, 0.95), Snap(3, 0.93),
            new("snf7", 1, [(0.90, 0.56), (1.00, 0.56)]), new("snf7", 2, [(0.95, 0.66), (1.00, 0.66)]),
        ]);
        var fmnist = TinyExperiment.Write(Path.Combine(root, "fashion_mnist"),
        [
            new("deep_fmnist", 1, [(0.90, 0.85), (0.95, 0.90)]), new("deep_fmnist", 2, [(0.90, 0.85), (0.95, 0.92)]),
            new("deep_fmnist", 3, [(0.90, 0.85), (0.95, 0.925)]),
            new("alexnet_fmnist", 1, [(0.80, 0.70), (0.85, 0.72)]), new("alexnet_fmnist", 2, [(0.80, 0.70), (0.85, 0.73)]),
        ]);
        var both = StudyReport.Write([
            new StudyExperiment("snf7_vs_snap29", layout.ExperimentDirectory, null),
            new StudyExperiment("snf7_vs_snap29_mono", mono.ExperimentDirectory, null),
            new StudyExperiment("fashion_mnist", fmnist.ExperimentDirectory, null),
        ], Path.Combine(root, "study2"), Fast);
        var monocolour = both.Findings.Single(f => f.Number == 3);
        Assert.Equal(StudyVerdict.Reproduced, monocolour.Verdict);
        Assert.Matches("For (snap29 and )?snf7 the 5.0 percentage points lie inside the difference's 95 % CI, so the verdict rests on the point estimates", monocolour.Paragraph);
        var fashion = both.Findings.Single(f => f.Number == 5);
        Assert.Equal(StudyVerdict.Reproduced, fashion.Verdict);
        Assert.Contains("Both hold: reproduced. 91.0 % lies inside the 95 % CI, so the verdict rests on the point estimate", fashion.Paragraph);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }
}
