using Harness.Data;
using Harness.Tests.Data;
using Harness.Tracking;
using Harness.Training;

namespace Harness.Tests.Execution;

/// <summary>Runs built to fail on purpose are flagged, in status.json, the metrics, the log and the report.</summary>
public sealed class TrainingOutcomeTests
{
    private const string ConstantImagesYaml = """
        name: tiny
        seeds: 1
        epochs: 2
        batch_size: 8
        threads: 1
        device: cpu
        architecture: cifar-small
        image: {size: 32, normalize: none}
        conditions:
          constant: {data: {folders: {train: data/train, tests: {test: data/test}}}}
        """;

    /// <summary>Every image the same grey: no classifier can beat chance, and the network's outputs cannot depend on its input.</summary>
    private static void WriteConstantImages(string root)
    {
        var grey = Enumerable.Repeat(0.5f, 3 * 32 * 32).ToArray();
        foreach (var (side, count) in new[] { ("train", 8), ("test", 2) })
            foreach (var cls in new[] { "a", "b" })
                for (int i = 0; i < count; i++)
                    PngWriter.Write(Path.Combine(root, "data", side, cls, $"{cls}{i}.png"), grey, 3, 32, 32);
    }

    [Fact]
    public void A_network_on_constant_images_is_flagged_stuck_at_chance_everywhere()
    {
        using var tiny = new TinyExperiment(ConstantImagesYaml);
        WriteConstantImages(tiny.Directory);
        var run = tiny.Plan()[0];
        Assert.Equal(1, tiny.Run([run]).Finished);

        var layout = tiny.Layout();
        var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!;
        Assert.Equal((RunState.Finished, TrainingOutcome.StuckAtChance), (status.State, status.Outcome));
        Assert.Equal(0.5, status.ChanceAccuracy);
        Assert.Contains("\"outcome\": \"stuck_at_chance\"", File.ReadAllText(layout.RunStatusJson(run.RunId)));

        var metrics = TidyCsv.Read(layout.RunMetricsCsv(run.RunId));
        for (int i = 0; i < metrics.Rows.Count; i++)
        {
            Assert.Equal(0, metrics.Number(i, MetricColumns.LogitSpread), 9);
            Assert.InRange(metrics.Number(i, MetricColumns.DeadUnitFraction), 0, 1);
        }
        Assert.Contains("Outcome stuck_at_chance", File.ReadAllText(layout.RunLog(run.RunId)));

        var report = Harness.Reporting.ExperimentReport.Write(layout, null, Harness.Reporting.ReportOptions.Default with { BootstrapResamples = 50 });
        var runs = TidyCsv.Read(Path.Combine(Path.GetDirectoryName(report.Markdown)!, "runs.csv"));
        Assert.Equal("stuck_at_chance", runs.Text(0, "outcome"));
        Assert.Contains("stuck at chance", File.ReadAllText(report.Markdown));
    }

    [Fact]
    public void A_learning_rate_that_blows_the_network_apart_leaves_it_flagged_not_learned()
    {
        // Adam at 1.0: the first steps move every weight by about 1 and training accuracy never leaves chance; the loss
        // stays finite (Keras's clipped loss), so the run finishes, and is flagged, not averaged in as "did not memorize".
        using var tiny = new TinyExperiment();
        var run = tiny.Plan("seeds=1", "epochs=3", "optimizer.lr=1.0").First(r => r.Condition == "snap29");
        Assert.Equal(1, tiny.Run([run]).Finished);
        var layout = tiny.Layout();
        var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!;
        var metrics = TidyCsv.Read(layout.RunMetricsCsv(run.RunId));
        int last = metrics.Rows.Count - 1;
        Assert.True(status.Outcome == TrainingOutcome.StuckAtChance,
            $"outcome {status.Outcome} ({status.OutcomeDetail}); dead {metrics.Number(last, MetricColumns.DeadUnitFraction)}, spread {metrics.Number(last, MetricColumns.LogitSpread)}");
    }

    [Fact]
    public void Seed_parallel_members_are_probed_and_judged_like_standalone_runs()
    {
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan("conditions.snf7.data.synthetic.train_per_class=4").Where(r => r.Condition == "snap29").ToArray();
        var layout = tiny.Layout();
        new Harness.Execution.RunExecutor(layout, new Harness.Execution.DatasetCache(tiny.Directory), [])
            .Run(runs, new Harness.Execution.ExecutorOptions(SeedParallel: 2));
        foreach (var run in runs)
        {
            Assert.Contains("seed-parallel group of 2", RunRecordYaml.Read(layout.RunYaml(run.RunId)).Versions["execution"]);
            var metrics = TidyCsv.Read(layout.RunMetricsCsv(run.RunId));
            Assert.All(Enumerable.Range(0, metrics.Rows.Count), i => Assert.False(double.IsNaN(metrics.Number(i, MetricColumns.DeadUnitFraction))));
            Assert.NotNull(RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!.Outcome);
        }
    }
}
