using Harness.Reporting;
using Harness.Specs;
using Harness.Tracking;
using SkiaSharp;

namespace Harness.Tests.Reporting;

public class ExperimentReportTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    private static readonly ReportOptions Fast = new(BootstrapResamples: 1000, Figures: false);

    [Fact]
    public void Report_md_of_the_checked_in_experiment_matches_its_snapshot() => fixture.AssertMarkdownMatchesSnapshot();

    [Fact]
    public void Report_states_what_it_rests_on_and_reads_like_a_results_section()
    {
        string md = File.ReadAllText(fixture.Result.Markdown);
        Assert.Contains("6 finished run(s) of 6", md);
        Assert.Contains("snf7 memorized: clean training accuracy reached 100 % by epoch 3", md);
        Assert.Contains("in 2 of 3 runs while final test accuracy was 61.0 % [95 % CI", md);
        Assert.Contains("percentile bootstrap, 10000 resamples, seed 0", md);
        Assert.Contains("synthetic images", md);
        Assert.Contains("Mann–Whitney", md);
        Assert.DoesNotContain(fixture.Root, md);
    }

    [Fact]
    public void Run_measures_follow_the_definitions()
    {
        var runs = fixture.Result.Analysis.Runs.ToDictionary(r => (r.Measures.Condition, r.Measures.Seed), r => r.Measures);
        var s1 = runs[("snf7", 1)];
        Assert.Equal(3, s1.MemorizationEpoch);
        Assert.Equal(0.62, s1.PeakTestAccuracy, 12);
        Assert.Equal(3, s1.PeakEpoch);
        Assert.Equal(0.01, s1.DropFromPeak, 9);
        Assert.Equal(0.39, s1.GeneralizationGap, 9);
        var s3 = runs[("snf7", 3)];
        Assert.Null(s3.MemorizationEpoch);
        Assert.Equal(4, s3.LastEpoch);
        Assert.Equal(0.95, runs[("snap29", 1)].FinalTestAccuracy, 12);
    }

    [Fact]
    public void Summary_csv_has_one_row_per_group_and_measure()
    {
        var table = TidyCsv.Read(fixture.Result.SummaryCsv);
        Assert.Equal(ReportTables.SummaryColumns, table.Columns);
        // Every group and measure twice: over all finished runs and over those that learned (here the same runs).
        Assert.Equal(2 * 2 * RunMeasures.MeasureNames.Count, table.Rows.Count);
        int row = Enumerable.Range(0, table.Rows.Count).First(i => table.Text(i, "condition") == "snf7" && table.Text(i, "runs") == "all"
                                                                   && table.Text(i, "measure") == "final_test_accuracy");
        Assert.Equal(3, table.Number(row, "n"));
        Assert.Equal(0.61, table.Number(row, "mean"), 12);
        Assert.True(table.Number(row, "ci_low") <= 0.61 && table.Number(row, "ci_high") >= 0.61);
        Assert.StartsWith("percentile bootstrap", table.Text(row, "method"));
    }

    [Fact]
    public void Tidy_files_for_the_published_R_scripts_have_their_columns()
    {
        var test = TidyCsv.Read(fixture.Result.TestAccuracyCsv);
        Assert.Equal(["comparison", "test_accuracy"], test.Columns);
        Assert.Equal(6, test.Rows.Count);
        Assert.Contains(test.Rows, r => r[0] == "snap29" && r[1] == "95");
        var train = TidyCsv.Read(fixture.Result.TrainingAccuracyCsv);
        Assert.Equal(["comparison", "epoch", "training.accuracy"], train.Columns);
        Assert.Equal(24, train.Rows.Count);
        var runs = TidyCsv.Read(fixture.Result.RunsCsv);
        Assert.Equal(6, runs.Rows.Count);
    }

    [Theory]
    [InlineData("F1_final_test_accuracy")]
    [InlineData("F2_training_accuracy")]
    [InlineData("F2r_running_training_accuracy")]
    [InlineData("F5_prediction_panel")]
    [InlineData("F6_attribution")]
    [InlineData("F7_accuracy_history")]
    [InlineData("F7_loss_history")]
    [InlineData("F9_memorization")]
    public void Each_figure_is_drawn_as_png_and_svg_with_its_data(string name)
    {
        string dir = Path.Combine(fixture.Result.ReportDirectory, "figures");
        Assert.Contains(fixture.Result.Figures, f => f.Name == name);
        string png = Path.Combine(dir, name + ".png");
        Assert.True(new FileInfo(png).Length > 3000, $"{png} is too small");
        AssertNotBlank(png);
        string svg = File.ReadAllText(Path.Combine(dir, name + ".svg"));
        Assert.True(svg.Length > 1000);
        Assert.Contains("<svg", svg);
        var data = TidyCsv.Read(Path.Combine(dir, name + ".csv"));
        Assert.NotEmpty(data.Rows);
    }

    [Fact]
    public void F2_draws_the_clean_training_accuracy_and_F2r_the_running_accuracy_keras_reported()
    {
        // The fixture's runs: clean snf7 accuracy at epoch 1 is 0.70, 0.75 and 0.68; the running accuracy 2 points below each.
        string dir = Path.Combine(fixture.Result.ReportDirectory, "figures");
        double MeanAt(string name, string group, int epoch)
        {
            var t = TidyCsv.Read(Path.Combine(dir, name + ".csv"));
            int row = Enumerable.Range(0, t.Rows.Count).Single(i => t.Text(i, "group") == group && t.Text(i, "series") == "mean" && t.Number(i, "epoch") == epoch);
            return t.Number(row, "value");
        }
        Assert.Equal((0.70 + 0.75 + 0.68) / 3, MeanAt("F2_training_accuracy", "snf7", 1), 9);
        Assert.Equal((0.68 + 0.73 + 0.66) / 3, MeanAt("F2r_running_training_accuracy", "snf7", 1), 9);
        var running = fixture.Result.Figures.Single(f => f.Id == "F2r");
        Assert.StartsWith("Running training accuracy per epoch (the mean over the epoch's batches in training mode", running.Caption);
    }

    private static void AssertNotBlank(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        double sum = 0, sum2 = 0;
        int n = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
            for (int x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                double v = (c.Red + c.Green + c.Blue) / 3.0;
                sum += v;
                sum2 += v * v;
                n++;
            }
        double variance = sum2 / n - sum / n * (sum / n);
        Assert.True(variance > 50, $"{png} looks blank (pixel variance {variance:0.0})");
    }

    [Fact]
    public void Html_report_is_self_contained()
    {
        string html = File.ReadAllText(fixture.Result.Html);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("data:image/png;base64,", html);
        Assert.DoesNotContain("src=\"figures/", html);
        Assert.Contains("<table>", html);
    }

    [Fact]
    public void Partial_sweep_is_reported_and_unfinished_runs_are_left_out()
    {
        var runs = TinyExperiment.Standard().ToList();
        runs[2] = runs[2] with { State = RunState.Failed };
        runs[5] = runs[5] with { State = RunState.Running, Epochs = runs[5].Epochs[..2] };
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, runs), null, Fast);
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("2 of 6 runs are not finished (1 failed, 1 running)", md);
        Assert.Contains("partial sweep", md);
        Assert.Equal(2, result.Analysis.SummaryOf("snf7", "final_test_accuracy").N);
        Assert.Equal(4, TidyCsv.Read(result.TestAccuracyCsv).Rows.Count);
        Assert.Equal(6, TidyCsv.Read(result.RunsCsv).Rows.Count);
        Assert.Contains("Running (excluded)", md);
    }

    [Fact]
    public void A_condition_with_one_run_says_what_cannot_be_estimated()
    {
        var runs = TinyExperiment.Standard().Where(r => r.Condition == "snf7" || r.Seed == 1).ToArray();
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, runs), null, Fast with { Figures = true });
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("snap29 rests on a single finished run: no standard deviation, no confidence interval and no test", md);
        Assert.Contains("No test between snap29 and snf7", md);
        Assert.Contains("none (n = 1)", md);
        var summary = result.Analysis.SummaryOf("snap29", "final_test_accuracy");
        Assert.Equal(1, summary.N);
        Assert.Null(summary.Ci);
        Assert.All(result.Analysis.Comparisons, c => Assert.Null(c.Welch));
        Assert.True(File.Exists(Path.Combine(result.ReportDirectory, "figures", "F1_final_test_accuracy.png")));
    }

    [Fact]
    public void A_condition_without_finished_runs_and_an_empty_experiment_do_not_fail()
    {
        var runs = TinyExperiment.Standard().Select(r => r.Condition == "snap29" ? r with { State = RunState.Interrupted } : r).ToArray();
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, runs), null, Fast);
        Assert.Contains("snap29 has no finished run: nothing can be estimated", File.ReadAllText(result.Markdown));

        using var empty = new TempDirectory();
        var none = ExperimentReport.Write(new ResultsLayout(empty.Path), null, Fast with { Figures = true });
        Assert.Contains("0 finished run(s) of 0", File.ReadAllText(none.Markdown));
    }

    [Fact]
    public void A_condition_where_no_run_learned_and_a_run_that_cannot_be_judged_do_not_fail()
    {
        (double, double)[] chance = [(0.5, 0.5), (0.5, 0.5), (0.51, 0.5), (0.5, 0.5)];
        var runs = TinyExperiment.Standard().Where(r => r.Condition == "snf7").Concat(
        [
            new TinyExperiment.Run("snap29", 1, chance, Preset: "snap29-like"),
            new TinyExperiment.Run("snap29", 2, chance, Preset: "snap29-like"),
            // Finished without a recorded epoch: nothing to judge it on.
            new TinyExperiment.Run("snap29", 3, [], Preset: "snap29-like"),
        ]).ToArray();
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, runs), null, Fast with { Figures = true });
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("snap29 has no finished run that learned", md);
        Assert.Contains("1 finished run(s) of snap29 could not be judged", md);
        Assert.Contains("| group | finished | learned | stuck at chance | collapsed | collapse epochs | not judged |", md);
        Assert.Contains("snap29: final test accuracy 50.0 % [95 % CI", md);
        Assert.Contains("no run learned (2 stuck at chance, 0 collapsed, 1 not judged)", md);
        Assert.Equal(0, result.Analysis.SummaryOf("snap29", "final_test_accuracy", RunSet.Learned).N);
        Assert.Equal(2, result.Analysis.SummaryOf("snap29", "final_test_accuracy").N);
        var learned = result.Analysis.Comparisons.Single(c => c.Measure == "final_test_accuracy" && c.Runs == RunSet.Learned);
        Assert.Equal((0, 3), (learned.NA, learned.NB));
        Assert.Null(learned.Welch);
        Assert.Contains("over the runs that learned: not estimable (a group has no run that learned).", md);
        foreach (var name in new[] { "F1_final_test_accuracy", "F2_training_accuracy", "F7_accuracy_history" })
            AssertNotBlank(Path.Combine(result.ReportDirectory, "figures", name + ".png"));
    }

    [Fact]
    public void Published_values_are_set_beside_reproduced_ones()
    {
        var published = new PublishedSpec("blog posts", [
            new PublishedValue("snf7", "final_test_accuracy", 0.62, "mean test accuracy"),
            new PublishedValue("snf7", "best_run_test_accuracy", 0.66),
            new PublishedValue("snf7", "human_expert_accuracy", 0.707, "human expert, blinded"),
            new PublishedValue("snap29", "final_train_accuracy", 0.94),
            new PublishedValue("snap29", "final_train_accuracy_running", 0.94, "as Keras measured it"),
            new PublishedValue("snf7", "memorization_epoch", 3),
            new PublishedValue("flowers", "final_test_accuracy", 0.61),
        ]);
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, TinyExperiment.Standard()), published, Fast);
        var rows = result.Analysis.Published;
        var mean = rows.Single(r => r.Measure == "final_test_accuracy" && r.Condition == "snf7");
        Assert.Equal(3, mean.N);
        Assert.Equal(0.61, mean.Reproduced, 12);
        Assert.NotNull(mean.Inside);
        var best = rows.Single(r => r.Measure == "best_run_test_accuracy");
        Assert.Equal(0.63, best.Reproduced, 12);
        Assert.False(best.Inside);
        var human = rows.Single(r => r.Measure == "human_expert_accuracy");
        Assert.Contains("Bayes-optimal ceiling of the synthetic data 70.0 %", human.Comment);
        Assert.Equal(0.94, rows.Single(r => r.Condition == "snap29" && r.Measure == "final_train_accuracy").Reproduced, 12);
        // Keras reported the running accuracy (mean over the epoch's batches): the fixture's is 2 points below the clean one.
        var running = rows.Single(r => r.Condition == "snap29" && r.Measure == "final_train_accuracy_running");
        Assert.Equal(0.92, running.Reproduced, 12);
        Assert.False(running.Inside);
        Assert.Contains("never memorized", rows.Single(r => r.Measure == "memorization_epoch").Comment);
        Assert.Null(rows.Single(r => r.Condition == "flowers").Group);
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("## Published and reproduced", md);
        Assert.Contains("blog posts", md);
    }

    [Fact]
    public void Controls_report_time_to_fit_and_slowdown_against_true_labels()
    {
        (double, double)[] slow = [(0.5, 0.5), (0.7, 0.5), (0.9, 0.5), (1.0, 0.5)];
        (double, double)[] slower = [(0.5, 0.55), (0.6, 0.55), (0.8, 0.55), (0.95, 0.55)];
        var runs = TinyExperiment.Standard().Where(r => r.Condition == "snf7").Concat(
        [
            new TinyExperiment.Run("snf7_random_labels", 1, slow, Control: new ControlSpec("random_labels")),
            new TinyExperiment.Run("snf7_random_labels", 2, slow, Control: new ControlSpec("random_labels")),
            new TinyExperiment.Run("snf7_corrupt_half", 1, slower, Control: new ControlSpec("corrupt_labels", 0.5)),
            new TinyExperiment.Run("snf7_corrupt_half", 2, slow, Control: new ControlSpec("corrupt_labels", 0.5)),
        ]).ToArray();
        using var temp = new TempDirectory();
        var result = ExperimentReport.Write(TinyExperiment.Write(temp.Path, runs), null, Fast with { Figures = true });
        var random = result.Analysis.Controls.Single(c => c.Kind == "random_labels");
        Assert.Equal("snf7", random.Baseline);
        Assert.Equal(4, random.MedianEpoch);
        Assert.Equal(3, random.BaselineMedianEpoch);
        Assert.Equal(4.0 / 3, random.Slowdown!.Value, 12);
        var corrupt = result.Analysis.Controls.Single(c => c.Kind == "corrupt_labels");
        Assert.Equal(0.5, corrupt.Fraction);
        Assert.Equal(4, corrupt.MedianEpoch);
        Assert.Contains("## Controls", File.ReadAllText(result.Markdown));
        Assert.Contains(result.Figures, f => f.Id == "F8");
        Assert.DoesNotContain(result.Analysis.Comparisons, c => c.GroupA.Contains("random") || c.GroupB.Contains("random"));
    }

    [Fact]
    public void Grouping_key_adds_architecture_and_colour_mode_only_when_they_vary()
    {
        var a = Spec("snf7", "deep", ColorMode.Rgb, "a");
        var b = Spec("snf7", "deep-50", ColorMode.Mono, "b");
        Assert.Equal("snf7", ExperimentAnalysis.GroupKeys([a])["a"]);
        var keys = ExperimentAnalysis.GroupKeys([a, b]);
        Assert.Equal("snf7 deep rgb", keys["a"]);
        Assert.Equal("snf7 deep-50 mono", keys["b"]);
    }

    private static RunSpec Spec(string condition, string architecture, ColorMode color, string id) =>
        new("x", condition, new DataSpec(new SyntheticDataSpec("snf7-like", 1, 1)), null, architecture,
            new ImageSpec(32, 32, color), 4, 20, new OptimizerSpec("adam", 0.001), InitScheme.Keras, "cpu", 1, 1,
            new Dictionary<string, string>(), id);

    [Fact]
    public void Okabe_Ito_gives_snf7_blue_and_snap29_vermillion()
    {
        var colors = OkabeIto.Assign(["snap29", "snf7", "other", "another"]);
        Assert.Equal(OkabeIto.Blue, colors["snf7"]);
        Assert.Equal(OkabeIto.Vermillion, colors["snap29"]);
        Assert.NotEqual(colors["other"], colors["another"]);
        Assert.DoesNotContain(colors["other"], new[] { OkabeIto.Blue, OkabeIto.Vermillion });
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "harness-report-" + Guid.NewGuid().ToString("N")[..8], "exp");

        public void Dispose()
        {
            string root = System.IO.Path.GetDirectoryName(Path)!;
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }
}
