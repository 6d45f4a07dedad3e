using Harness.Reporting;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Reporting;

/// <summary>
/// A run that collapsed and then trained again (as some deep-50 runs do: 0.91 at epoch 1, chance at epoch 2, 100 % by
/// epoch 5) stays collapsed, but the report says it recovered instead of calling its final numbers a broken network,
/// also for a run whose status.json was written before the outcome detail said what followed a collapse.
/// </summary>
public sealed class RecoveredCollapseTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("harness-recovered-").FullName;

    private static readonly (double, double)[] Probe = [(0.1, 1.0), (0.3, 0.5), (0.2, 1.0), (0.2, 2.0)];

    private ReportResult Report(IReadOnlyList<TinyExperiment.Run> runs, Action<ResultsLayout>? edit = null)
    {
        var layout = TinyExperiment.Write(Path.Combine(root, "recovered"), runs);
        edit?.Invoke(layout);
        return ExperimentReport.Write(layout, null, ReportOptions.Default with { BootstrapResamples = 200 });
    }

    private static IReadOnlyList<TinyExperiment.Run> Runs(params (double, double)[][] snf7Seed4) =>
    [
        .. TinyExperiment.Standard(),
        .. snf7Seed4.Select((e, i) => new TinyExperiment.Run("snf7", 4 + i, e, Probe: Probe)),
    ];

    private static readonly (double, double)[] Recovered = [(0.91, 0.60), (0.545, 0.50), (0.95, 0.61), (1.00, 0.62)];
    private static readonly (double, double)[] Broken = [(0.80, 0.58), (0.95, 0.62), (0.55, 0.50), (0.50, 0.50)];

    [Fact]
    public void A_recovered_collapse_is_counted_as_collapsed_and_said_to_have_recovered()
    {
        var result = Report(Runs(Recovered));
        string md = File.ReadAllText(result.Markdown);
        Assert.Contains("1 run(s) collapsed (snf7 seed 4, run ", md);
        Assert.Contains(", at epoch 2, recovered)", md);
        Assert.Contains("It recovered: its training accuracy was back at 90.0 % or more by the last epoch, so its final numbers describe a network that trained again", md);
        Assert.DoesNotContain("broken network", md);
        Assert.Contains("| snf7 | 4 | 3 | 0 | 1 (1 recovered) | 2 |", md);
        Assert.Contains("collapsed at epoch 2, recovered", md);
        var run = result.Analysis.Runs.Single(r => r.Measures.Seed == 4).Measures;
        Assert.Equal(TrainingOutcome.Collapsed, run.Outcome!.Outcome);
        Assert.EndsWith("; it recovered: 1.000 at epoch 4, the last", run.Outcome.Detail);
    }

    [Fact]
    public void Of_two_collapses_only_the_one_that_did_not_recover_is_called_broken()
    {
        string md = File.ReadAllText(Report(Runs(Recovered, Broken)).Markdown);
        Assert.Contains("1 of them recovered (training accuracy back at 90.0 % or more by the last epoch", md);
        Assert.Contains("the final numbers of the other 1 describe a broken network", md);
        Assert.Contains("| snf7 | 5 | 3 | 0 | 2 (1 recovered) | 2, 3 |", md);
    }

    [Fact]
    public void The_study_counts_the_recovered_collapse_in_its_table_and_its_finding()
    {
        var layout = TinyExperiment.Write(Path.Combine(root, "snf7_vs_snap29"), Runs(Recovered));
        var study = StudyReport.Write([new StudyExperiment("snf7_vs_snap29", layout.ExperimentDirectory, null)], Path.Combine(root, "study"),
            new ReportOptions(BootstrapResamples: 200, Figures: false));
        Assert.Contains("| snf7_vs_snap29 | run | 7 of 7 | 6 / 0 / 1 (1 recovered) |", File.ReadAllText(study.Markdown));
        Assert.Contains("4 finished run(s): 3 learned, 0 stuck at chance, 1 collapsed (1 of them recovered)", study.Findings.Single(f => f.Number == 2).Paragraph);
    }

    [Fact]
    public void A_collapse_recorded_before_the_detail_said_what_followed_gets_it_from_the_metrics()
    {
        var result = Report(Runs(Recovered), layout =>
        {
            foreach (var id in layout.RunIds())
            {
                var status = RunStatusFile.TryRead(layout.RunStatusJson(id));
                if (status?.Outcome != TrainingOutcome.Collapsed) continue;
                RunStatusFile.Write(layout.RunStatusJson(id), status with
                {
                    OutcomeDetail = "training accuracy reached 0.910 at epoch 1, then fell to 0.545 at epoch 2 (chance 0.500)",
                });
            }
        });
        var run = result.Analysis.Runs.Single(r => r.Measures.Seed == 4).Measures;
        Assert.Equal("training accuracy reached 0.910 at epoch 1, then fell to 0.545 at epoch 2 (chance 0.500); it recovered: 1.000 at epoch 4, the last",
            run.Outcome!.Detail);
        Assert.True(run.Outcome.Recovered);
    }

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
