using System.Globalization;
using Harness.Reporting;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Reporting;

/// <summary>
/// A run stuck at chance can say more than "stuck": it fit only in training mode (its running accuracy rose, its clean
/// accuracy did not), or its outputs ended constant. The report carries that note from the run's outcome detail into
/// the outcome table per group, the run table, runs.csv and outcomes.csv.
/// </summary>
public sealed class OutcomeDetailReportTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "harness-detail-" + Guid.NewGuid().ToString("N")[..8]);

    private static readonly (double, double)[] Probe = [(0.05, 1.0), (0.06, 1.5), (0.07, 2.0), (0.08, 2.2)];
    private static readonly (double, double)[] Learned = [(0.70, 0.80), (0.85, 0.90), (0.91, 0.93), (0.94, 0.95)];
    private static readonly (double, double)[] AtChance = [(0.50, 0.50), (0.51, 0.50), (0.52, 0.50), (0.50, 0.50)];
    private static readonly double[] FitInTrainingMode = [0.60, 0.80, 0.90, 0.95];

    /// <summary>
    /// snap29: two runs learned, two fit only in training mode (seed 3 recorded so in status.json; seed 4 was written by an
    /// older build and is judged by the report). snf7: two learned, one simply stuck, one whose outputs ended constant.
    /// </summary>
    private ReportResult Report()
    {
        TinyExperiment.Run Snap29(int seed, (double, double)[] epochs, bool recorded = true, double[]? running = null) =>
            new("snap29", seed, epochs, Preset: "snap29-like", Bayes: 0.98, Probe: recorded ? Probe : null, Running: running);
        var layout = TinyExperiment.Write(root, [
            Snap29(1, Learned), Snap29(2, Learned),
            Snap29(3, AtChance, running: FitInTrainingMode), Snap29(4, AtChance, recorded: false, running: FitInTrainingMode),
            new("snf7", 1, Learned, Probe: Probe), new("snf7", 2, Learned, Probe: Probe),
            new("snf7", 3, AtChance, Probe: Probe),
            new("snf7", 4, [(0.60, 0.55), (0.80, 0.60), (0.85, 0.60), (0.85, 0.50)], Probe: [(0.1, 1.0), (0.2, 0.5), (0.5, 0.1), (0.9, 0.0)]),
        ]);
        return ExperimentReport.Write(layout, null, ReportOptions.Default with { BootstrapResamples = 200, Figures = false });
    }

    private static ReportedOutcome Reported(TrainingVerdict v) => new(v.Outcome, v.CollapseEpoch, v.ChanceAccuracy, v.Why, false, ReportedOutcome.ChanceFromStatus);

    private static (int, double, double)[] Epochs(params double[] train) => train.Select((a, i) => (i + 1, a, 1.0)).ToArray();

    [Fact]
    public void The_note_is_read_from_the_rules_own_detail()
    {
        Assert.Equal(ReportedOutcome.TrainingModeOnly, Reported(TrainingOutcomeRules.Judge(Epochs(0.5, 0.52), 0.5, 0.95)!).Note);
        Assert.Null(Reported(TrainingOutcomeRules.Judge(Epochs(0.5, 0.52), 0.5, 0.6)!).Note);
        var constant = TrainingOutcomeRules.Judge([(1, 0.6, 1.0), (2, 0.8, 0.0)], 0.5)!;
        Assert.Equal((TrainingOutcome.StuckAtChance, ReportedOutcome.ConstantOutputs), (constant.Outcome, Reported(constant).Note));
        Assert.Null(Reported(TrainingOutcomeRules.Judge(Epochs(0.5, 0.9), 0.5, 0.95)!).Note);
        Assert.Equal("stuck at chance (fit only in training mode)", Reported(TrainingOutcomeRules.Judge(Epochs(0.5, 0.52), 0.5, 0.95)!).Words);
    }

    [Fact]
    public void The_study_reports_experiment_table_carries_the_notes_of_stuck_runs()
    {
        var report = Report();
        var study = StudyReport.Write([new StudyExperiment("snf7_vs_snap29", Path.GetDirectoryName(report.ReportDirectory)!, null)],
            Path.Combine(root, "study"), ReportOptions.Default with { BootstrapResamples = 200, Figures = false });
        Assert.Contains("| 8 of 8 | 4 / 4 (2 fit only in training mode, 1 had constant outputs) / 0 |", File.ReadAllText(study.Markdown));
    }

    [Fact]
    public void The_outcome_table_counts_each_outcome_per_group_with_the_notes_of_stuck_runs()
    {
        string md = File.ReadAllText(Report().Markdown);
        Assert.Contains("| snap29 | 4 | 2 | 2 (2 fit only in training mode) | 0 | — |", md);
        Assert.Contains("| snf7 | 4 | 2 | 2 (1 had constant outputs) | 0 | — |", md);
        Assert.Contains("2 of them fit only in training mode: their running accuracy over the training batches rose 25 points or more above chance", md);
    }

    [Fact]
    public void The_run_table_and_the_warning_give_each_stuck_run_its_note()
    {
        var result = Report();
        string md = File.ReadAllText(result.Markdown);
        var runs = result.Analysis.Runs.ToDictionary(r => (r.Measures.Condition, r.Measures.Seed), r => r.Measures);
        Assert.True(runs[("snap29", 4)].Outcome!.JudgedByReport);
        foreach (int seed in new[] { 3, 4 })
        {
            Assert.Contains($"| snap29 | {seed} | {runs[("snap29", seed)].RunId} | Finished | stuck at chance (fit only in training mode) |", md);
            Assert.Contains($"snap29 seed {seed}, run {runs[("snap29", seed)].RunId}, fit only in training mode", md);
        }
        Assert.Contains($"| snf7 | 3 | {runs[("snf7", 3)].RunId} | Finished | stuck at chance |", md);
        Assert.Contains($"| snf7 | 4 | {runs[("snf7", 4)].RunId} | Finished | stuck at chance (had constant outputs) |", md);
    }

    [Fact]
    public void Runs_csv_has_each_runs_detail_and_outcomes_csv_the_notes_of_stuck_runs()
    {
        var result = Report();
        var runs = TidyCsv.Read(result.RunsCsv);
        int Row(string condition, int seed) => Enumerable.Range(0, runs.Rows.Count)
            .Single(i => runs.Text(i, "condition") == condition && runs.Text(i, "seed") == seed.ToString(CultureInfo.InvariantCulture));
        Assert.Contains("fits only in training mode", runs.Text(Row("snap29", 3), "outcome_detail"));
        Assert.Equal(("report", true), (runs.Text(Row("snap29", 4), "outcome_judged_by"), runs.Text(Row("snap29", 4), "outcome_detail").Contains("fits only in training mode")));
        Assert.StartsWith("outputs constant", runs.Text(Row("snf7", 4), "outcome_detail"));
        Assert.StartsWith("training accuracy peaked", runs.Text(Row("snf7", 1), "outcome_detail"));

        var outcomes = TidyCsv.Read(result.OutcomesCsv);
        Assert.Equal(ReportTables.OutcomeColumns, outcomes.Columns);
        string Notes(string group) => outcomes.Text(Enumerable.Range(0, outcomes.Rows.Count).Single(i => outcomes.Text(i, "group") == group), "stuck_notes");
        Assert.Equal("fit only in training mode;fit only in training mode", Notes("snap29"));
        Assert.Equal(";had constant outputs", Notes("snf7"));
    }

    public void Dispose()
    {
        if (Directory.Exists(root) && Environment.GetEnvironmentVariable("HARNESS_KEEP_REPORT") != "1") Directory.Delete(root, true);
    }
}
