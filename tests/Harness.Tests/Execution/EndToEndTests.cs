using Harness.Tracking;

namespace Harness.Tests.Execution;

public sealed class EndToEndTests
{
    [Fact]
    public void A_tiny_experiment_leaves_every_file_and_a_second_run_trains_nothing()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan();
        var first = tiny.Run(runs);
        Assert.Equal((4, 4, 0, 0), (first.Planned, first.Finished, first.Failed, first.Skipped));

        var layout = tiny.Layout();
        foreach (var run in runs)
        {
            var record = RunRecordYaml.Read(layout.RunYaml(run.RunId));
            Assert.Equal(run, record.Spec with { GridPoint = run.GridPoint });
            Assert.Equal(["control", run.Condition], record.ClassNames);
            Assert.Equal("cpu", record.Device);
            Assert.False(string.IsNullOrEmpty(record.DataFingerprint));
            Assert.Contains("libtorch", record.Versions.Keys);
            Assert.Equal(RunState.Finished, RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!.State);
            var metrics = TidyCsv.Read(layout.RunMetricsCsv(run.RunId));
            Assert.Equal(["1", "2"], metrics.Rows.Select(r => r[0]));
            Assert.Contains("Finished after 2 epochs", File.ReadAllText(layout.RunLog(run.RunId)));
            for (int i = 0; i < 2; i++)
                Assert.InRange(metrics.Number(i, "test_accuracy"), 0, 1);
        }

        var union = TidyCsv.Read(layout.MetricsCsv);
        Assert.Equal(["experiment", "condition", "architecture", "color_mode", "seed", "run_id", "epoch", "train_loss_running"], union.Columns.Take(8));
        Assert.Equal(8, union.Rows.Count);

        // The files the report's image figures need (F5 panel, F6 attribution).
        var panel = TidyCsv.Read(Path.Combine(layout.RunDirectory(runs[0].RunId), "panel.csv"));
        Assert.Equal(12, panel.Rows.Count);
        Assert.All(panel.Rows, r => Assert.True(File.Exists(Path.Combine(layout.RunDirectory(runs[0].RunId), r[0]))));
        Assert.Equal(4, TidyCsv.Read(Path.Combine(layout.RunDirectory(runs[0].RunId), "attribution.csv")).Rows.Count);

        var report = Harness.Reporting.ExperimentReport.Write(layout, null, Harness.Reporting.ReportOptions.Default with { BootstrapResamples = 200 });
        Assert.Contains(report.Figures, f => f.Id == "F5");
        Assert.Contains(report.Figures, f => f.Id == "F6");
        Assert.Contains("snf7", File.ReadAllText(report.Markdown));

        var second = tiny.Run(runs);
        Assert.Equal((0, 4), (second.Finished, second.Skipped));
    }

    [Fact]
    public void Same_run_gives_bit_identical_metrics_on_cpu()
    {
        using var tiny = new TinyExperiment();
        var run = tiny.Plan("seeds=1")[0];
        tiny.Run([run], "a");
        tiny.Run([run], "b");
        Assert.Equal(
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("a").RunMetricsCsv(run.RunId)),
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("b").RunMetricsCsv(run.RunId)));

        var other = tiny.Plan("seeds=[2]")[0];
        tiny.Run([other], "a");
        Assert.NotEqual(
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("a").RunMetricsCsv(run.RunId)),
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("a").RunMetricsCsv(other.RunId)));
    }

    [Fact]
    public void Augmentation_is_seeded_so_augmented_runs_repeat_exactly_and_differ_from_plain_ones()
    {
        using var tiny = new TinyExperiment();
        var plain = tiny.Plan("seeds=1")[0];
        var augmented = tiny.Plan("seeds=1", "conditions.snap29.data.augment.flip=true", "conditions.snap29.data.augment.rotate_degrees=5")[0];
        Assert.NotEqual(plain.RunId, augmented.RunId);
        tiny.Run([plain, augmented], "a");
        tiny.Run([augmented], "b");
        var once = TinyExperiment.MetricsWithoutTimes(tiny.Layout("a").RunMetricsCsv(augmented.RunId));
        Assert.Equal(once, TinyExperiment.MetricsWithoutTimes(tiny.Layout("b").RunMetricsCsv(augmented.RunId)));
        Assert.NotEqual(once, TinyExperiment.MetricsWithoutTimes(tiny.Layout("a").RunMetricsCsv(plain.RunId)));
    }

    [Fact]
    public void A_diverging_run_fails_with_its_reason_and_the_sweep_goes_on()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("seeds=1", "optimizer.lr=1e30", "init=torch");
        var result = tiny.Run(runs);
        Assert.Equal(2, result.Failed);
        var status = RunStatusFile.TryRead(tiny.Layout().RunStatusJson(runs[0].RunId))!;
        Assert.Equal(RunState.Failed, status.State);
        Assert.Contains("diverged", status.Reason);
    }

    [Fact]
    public void An_interrupted_run_resumes_from_its_checkpoint_and_ends_as_if_never_stopped()
    {
        using var tiny = new TinyExperiment();
        var run = tiny.Plan("seeds=1", "epochs=3")[0];
        tiny.Run([run], "straight");

        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Epoch == 2 && p.Batch == 1) stop.Cancel(); });
        var interrupted = tiny.Run([run], "resumed", progress, stop.Token);
        Assert.Equal(1, interrupted.Interrupted);
        var layout = tiny.Layout("resumed");
        var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!;
        Assert.Equal((RunState.Interrupted, 1), (status.State, status.EpochsCompleted));

        var resumed = tiny.Run([run], "resumed");
        Assert.Equal(1, resumed.Finished);
        Assert.Equal(
            TinyExperiment.MetricsWithoutTimes(tiny.Layout("straight").RunMetricsCsv(run.RunId)),
            TinyExperiment.MetricsWithoutTimes(layout.RunMetricsCsv(run.RunId)));
        Assert.Equal(1, RunRecordYaml.Read(layout.RunYaml(run.RunId)).ResumedFromEpoch);
    }

    private sealed class SyncProgress(Action<Harness.Execution.RunProgress> report) : IProgress<Harness.Execution.RunProgress>
    {
        public void Report(Harness.Execution.RunProgress value) => report(value);
    }
}
