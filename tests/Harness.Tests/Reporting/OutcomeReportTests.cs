using Harness.Reporting;
using Harness.Specs;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Reporting;

/// <summary>
/// Runs stuck at chance or collapsed are counted, labelled and kept apart: statistics over all runs and over the runs
/// that learned are both given, and runs finished by an older build are judged by the report itself.
/// </summary>
public class OutcomeReportTests(OutcomeReportFixture fixture) : IClassFixture<OutcomeReportFixture>
{
    private ExperimentAnalysis Analysis => fixture.Result.Analysis;

    private RunMeasures Run(string condition, int seed) =>
        Analysis.Runs.Single(r => r.Measures.Condition == condition && r.Measures.Seed == seed).Measures;

    [Fact]
    public void Report_md_of_the_outcome_experiment_matches_its_snapshot() => fixture.AssertMarkdownMatchesSnapshot();

    [Fact]
    public void Each_group_counts_its_learned_stuck_and_collapsed_runs()
    {
        var snf7 = Analysis.Groups.Single(g => g.Key == "snf7");
        var snap29 = Analysis.Groups.Single(g => g.Key == "snap29");
        Assert.Equal((4, 3, 0, 1), (snf7.Finished.Count, snf7.Learned.Count, snf7.With(TrainingOutcome.StuckAtChance).Count, snf7.With(TrainingOutcome.Collapsed).Count));
        Assert.Equal((4, 3, 1, 0), (snap29.Finished.Count, snap29.Learned.Count, snap29.With(TrainingOutcome.StuckAtChance).Count, snap29.With(TrainingOutcome.Collapsed).Count));

        var table = TidyCsv.Read(fixture.Result.OutcomesCsv);
        Assert.Equal(ReportTables.OutcomeColumns, table.Columns);
        int row = Enumerable.Range(0, table.Rows.Count).Single(i => table.Text(i, "group") == "snf7");
        Assert.Equal(("4", "3", "0", "1", "3"), (table.Text(row, "finished"), table.Text(row, "learned"), table.Text(row, "stuck_at_chance"),
            table.Text(row, "collapsed"), table.Text(row, "collapse_epochs")));
        Assert.Equal(Run("snf7", 4).RunId, table.Text(row, "collapsed_run_ids"));
        row = Enumerable.Range(0, table.Rows.Count).Single(i => table.Text(i, "group") == "snap29");
        Assert.Equal(Run("snap29", 4).RunId, table.Text(row, "stuck_run_ids"));
    }

    [Fact]
    public void Statistics_are_given_over_all_runs_and_over_the_runs_that_learned()
    {
        var all = Analysis.SummaryOf("snap29", "final_test_accuracy", RunSet.All);
        var learned = Analysis.SummaryOf("snap29", "final_test_accuracy", RunSet.Learned);
        Assert.Equal((4, 0.8375), (all.N, Math.Round(all.Mean, 12)));
        Assert.Equal((3, 0.95), (learned.N, Math.Round(learned.Mean, 12)));
        Assert.Equal(0.61, Analysis.SummaryOf("snf7", "final_test_accuracy", RunSet.Learned).Mean, 12);
        Assert.Equal(0.5825, Analysis.SummaryOf("snf7", "final_test_accuracy").Mean, 12);

        var table = TidyCsv.Read(fixture.Result.SummaryCsv);
        var rows = Enumerable.Range(0, table.Rows.Count)
            .Where(i => table.Text(i, "condition") == "snap29" && table.Text(i, "measure") == "final_test_accuracy")
            .ToDictionary(i => table.Text(i, "runs"), i => (table.Number(i, "n"), Math.Round(table.Number(i, "mean"), 12)));
        Assert.Equal((4.0, 0.8375), rows["all"]);
        Assert.Equal((3.0, 0.95), rows["learned"]);

        var compared = Analysis.Comparisons.Where(c => c.Measure == "final_test_accuracy").ToDictionary(c => c.Runs);
        Assert.Equal((4, 4), (compared[RunSet.All].NA, compared[RunSet.All].NB));
        Assert.Equal((3, 3), (compared[RunSet.Learned].NA, compared[RunSet.Learned].NB));
    }

    [Fact]
    public void The_text_warns_names_the_runs_and_gives_both_numbers()
    {
        string md = File.ReadAllText(fixture.Result.Markdown);
        Assert.Contains("Of the 8 finished runs, 6 learned, 1 stuck at chance and 1 collapsed", md);
        Assert.Contains("Warning: 2 of 8 finished runs did not train normally.", md);
        Assert.Contains($"snap29 seed 4, run {Run("snap29", 4).RunId}", md);
        Assert.Contains($"snf7 seed 4, run {Run("snf7", 4).RunId}, at epoch 3", md);
        Assert.Contains("never trained", md);
        Assert.Contains("snap29: final test accuracy 83.8 % [95 % CI", md);
        Assert.Contains("over all 4 finished runs; 95.0 % [95 % CI", md);
        Assert.Contains("over the 3 run(s) that learned (1 stuck at chance, 0 collapsed).", md);
        Assert.Contains("## Training outcomes", md);
        Assert.Contains("| snf7 | 4 | 3 | 0 | 1 | 3 |", md);
        Assert.Contains("collapsed at epoch 3", md);
        Assert.Contains("over the runs that learned:", md);
        string html = File.ReadAllText(fixture.Result.Html);
        Assert.Contains("<h2>Training outcomes</h2>", html);
    }

    [Fact]
    public void Runs_csv_has_the_outcome_and_the_last_probe()
    {
        var table = TidyCsv.Read(fixture.Result.RunsCsv);
        foreach (var c in new[] { "outcome", "collapse_epoch", "final_dead_unit_fraction", "final_logit_spread", "outcome_judged_by" })
            Assert.Contains(c, table.Columns);
        int Row(string condition, int seed) => Enumerable.Range(0, table.Rows.Count)
            .Single(i => table.Text(i, "condition") == condition && table.Text(i, "seed") == seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        int collapsed = Row("snf7", 4);
        Assert.Equal(("collapsed", "3", "status.json"), (table.Text(collapsed, "outcome"), table.Text(collapsed, "collapse_epoch"), table.Text(collapsed, "outcome_judged_by")));
        Assert.Equal(0.95, table.Number(collapsed, "final_dead_unit_fraction"), 12);
        Assert.Equal(0, table.Number(collapsed, "final_logit_spread"), 12);
        Assert.Equal(2.2, table.Number(Row("snap29", 1), "final_logit_spread"), 12);
        Assert.Equal("learned", table.Text(Row("snap29", 1), "outcome"));
        Assert.True(double.IsNaN(table.Number(Row("snf7", 1), "final_dead_unit_fraction")));
    }

    [Fact]
    public void A_run_without_an_outcome_in_status_json_is_judged_from_its_metrics()
    {
        Assert.Null(RunStatusFile.TryRead(fixture.Layout.RunStatusJson(Run("snap29", 4).RunId))!.Outcome);
        var stuck = Run("snap29", 4).Outcome!;
        Assert.Equal((TrainingOutcome.StuckAtChance, true, 0.5, ReportedOutcome.ChanceFromClasses),
            (stuck.Outcome, stuck.JudgedByReport, stuck.ChanceAccuracy, stuck.ChanceBasis));
        var learned = Run("snf7", 1).Outcome!;
        Assert.Equal((TrainingOutcome.Learned, true), (learned.Outcome, learned.JudgedByReport));
        Assert.False(Run("snf7", 4).Outcome!.JudgedByReport);
        string md = File.ReadAllText(fixture.Result.Markdown);
        Assert.Contains("4 finished run(s) have no outcome in status.json", md);
        Assert.Contains("1 / number of classes in run.yaml for 4 run(s)", md);
    }

    [Fact]
    public void Chance_is_the_majority_share_when_run_yaml_records_class_counts()
    {
        var record = RunRecordYaml.Read(fixture.Layout.RunYaml(Run("snf7", 1).RunId));
        Assert.Equal((0.5, ReportedOutcome.ChanceFromClasses), ReportedOutcome.Chance(record));
        var counted = record with
        {
            DataNotes = new Dictionary<string, string> { ["train_count_control"] = "30", ["train_count_snf7"] = "10" },
        };
        Assert.Equal((0.75, ReportedOutcome.ChanceFromCounts), ReportedOutcome.Chance(counted));
        Assert.Null(ReportedOutcome.Chance(record with { ClassNames = [] }));
    }

    [Theory]
    [InlineData("F1_final_test_accuracy")]
    [InlineData("F2_training_accuracy")]
    [InlineData("F2r_running_training_accuracy")]
    public void F1_and_F2_label_each_run_with_its_outcome(string name)
    {
        var data = TidyCsv.Read(Path.Combine(fixture.Result.ReportDirectory, "figures", name + ".csv"));
        var outcomes = Enumerable.Range(0, data.Rows.Count).Where(i => data.Text(i, "run_id") != "")
            .Select(i => (data.Text(i, "run_id"), data.Text(i, "outcome"))).Distinct().ToArray();
        Assert.Contains((Run("snap29", 4).RunId, "stuck_at_chance"), outcomes);
        Assert.Contains((Run("snf7", 4).RunId, "collapsed"), outcomes);
        Assert.Equal(6, outcomes.Count(o => o.Item2 == "learned"));
        var figure = fixture.Result.Figures.Single(f => f.Name == name);
        Assert.Contains("stuck at chance", figure.Caption);
        Assert.Contains("collapsed", figure.Caption);
    }

    /// <summary>
    /// The legend of the stuck and collapsed markers goes below the plot: beside it, it took a third of the width from
    /// the curves. The plot's frame is the pair of dark columns that run through most of the image's height.
    /// </summary>
    [Theory]
    [InlineData("F1_final_test_accuracy")]
    [InlineData("F2_training_accuracy")]
    public void The_legend_of_marked_runs_leaves_the_plot_its_width(string name)
    {
        using var bitmap = SkiaSharp.SKBitmap.Decode(fixture.Result.Figures.Single(f => f.Name == name).Png);
        var frame = Enumerable.Range(0, bitmap.Width).Where(x =>
            Enumerable.Range(0, bitmap.Height).Count(y => bitmap.GetPixel(x, y) is var c && c.Red + c.Green + c.Blue < 150) > bitmap.Height / 2).ToArray();
        Assert.True(frame.Length >= 2, $"{name}: no plot frame found");
        Assert.True(frame[^1] - frame[0] > 0.8 * bitmap.Width, $"{name}: the plot spans {frame[^1] - frame[0]} of {bitmap.Width} pixels");
    }

    [Fact]
    public void Mean_curves_are_over_the_runs_that_learned()
    {
        var snap29 = Analysis.Groups.Single(g => g.Key == "snap29");
        Assert.All(snap29.TrainAccuracy, b => Assert.Equal(3, b.N));
        Assert.Equal((0.94 + 0.95 + 0.93) / 3, snap29.TrainAccuracy[^1].Mean, 12);
    }
}
