using Harness.Execution;
using Harness.Reporting;
using Harness.Tracking;

namespace Harness.Tests.Reporting;

/// <summary>A folder holding a quick trial sweep and the full one: the report never pools them.</summary>
public sealed class ReportSelectionTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("harness-selection-").FullName;

    /// <summary>The standard fixture plus two 2-epoch "trial" runs of snf7 (seeds 1 and 2), as after SEEDS=2 EPOCHS=2.</summary>
    private ResultsLayout WithTrialRuns()
    {
        var layout = TinyExperiment.Write(Path.Combine(root, "tiny"), TinyExperiment.Standard());
        foreach (var id in layout.RunIds().ToArray())
        {
            var record = RunRecordYaml.Read(layout.RunYaml(id));
            if (record.Spec.Condition != "snf7" || record.Spec.Seed > 2) continue;
            string trial = "trial" + record.Spec.Seed;
            Directory.CreateDirectory(layout.RunDirectory(trial));
            File.WriteAllText(layout.RunYaml(trial), RunRecordYaml.Serialize(record with { Spec = record.Spec with { Epochs = 2, RunId = trial } }));
            var metrics = TidyCsv.Read(layout.RunMetricsCsv(id));
            TidyCsv.Write(layout.RunMetricsCsv(trial), metrics.Columns, metrics.Rows.Take(2));
            RunStatusFile.Write(layout.RunStatusJson(trial), new RunStatus(RunState.Finished, 2, 2, null, null, "host", 1, "2024-01-01T00:00:00Z"));
        }
        return layout;
    }

    [Fact]
    public void Runs_outside_the_current_plan_are_left_out_and_named()
    {
        var layout = WithTrialRuns();
        var standard = layout.RunIds().Where(id => !id.StartsWith("trial", StringComparison.Ordinal))
            .Select(id => RunRecordYaml.Read(layout.RunYaml(id)).Spec).ToArray();
        PlanFile.Write(layout, standard);

        var analysis = ExperimentAnalysis.Analyze(layout, null, ReportOptions.Default with { BootstrapResamples = 100 });

        Assert.Equal(6, analysis.Runs.Count);
        Assert.Equal(3, analysis.SummaryOf("snf7", "final_test_accuracy").N); // not 5: seeds 1 and 2 once each
        var note = Assert.Single(analysis.Limitations, l => l.Contains(ReportSelection.LeftOutMarker, StringComparison.Ordinal));
        Assert.Contains("2 other run(s)", note);
        Assert.Contains("snf7 seed(s) 1, 2 (epochs 2, reported 4)", note);
    }

    [Fact]
    public void Without_a_plan_runs_of_other_settings_are_not_pooled_either()
    {
        var layout = WithTrialRuns();
        var analysis = ExperimentAnalysis.Analyze(layout, null, ReportOptions.Default with { BootstrapResamples = 100 });
        Assert.Equal(6, analysis.Runs.Count);
        Assert.All(analysis.Runs, r => Assert.Equal(4, r.Files.Record.Spec.Epochs));
        Assert.Contains(analysis.Limitations, l => l.Contains("no plan.csv", StringComparison.Ordinal) && l.Contains("epochs 2, reported 4", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
