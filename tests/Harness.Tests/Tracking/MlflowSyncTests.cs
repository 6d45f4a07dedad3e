using Harness.Execution;
using Harness.Tracking;
using Harness.Tracking.Mlflow;
using Xunit.Abstractions;

namespace Harness.Tests.Tracking;

public sealed class MlflowSyncTests(ITestOutputHelper output) : FakeServerTests
{
    private void AssertExactlyOnce(string experiment, int runs, int epochs)
    {
        var children = server.Runs(experiment).Where(r => r.Tags.ContainsKey("harness.run_id")).ToList();
        Assert.Equal(runs, children.Count);
        Assert.Equal(runs, children.Select(c => c.Tags["harness.run_id"]).Distinct().Count());
        Assert.Single(server.Runs(experiment), r => r.Tags.GetValueOrDefault("harness.parent") == "true");
        var keys = MetricColumns.Measures(MlflowTestData.Epoch(1, 1)).Select(m => m.Key).ToList();
        foreach (var child in children)
        {
            foreach (var key in keys)
                Assert.Equal(Enumerable.Range(1, epochs).Select(e => (long)e), child.Metrics.Where(m => m.Key == key).Select(m => m.Step).Order());
            foreach (var key in MlflowRunMapping.SummaryKeys)
                Assert.Single(child.Metrics, m => m.Key == key);
            Assert.Equal("FINISHED", child.Status);
            Assert.NotNull(child.EndTime);
        }
    }

    [Fact]
    public async Task Sync_of_a_fresh_folder_sends_everything_once_and_a_second_sync_sends_nothing()
    {
        var layout = ResultsLayout.For(root, "sweep");
        MlflowTestData.WriteExperiment(layout, "sweep", seeds: 12, epochs: 9);
        var settings = MlflowTestData.Fast(server.Uri, "sweep");

        var first = MlflowSync.Run(layout, settings);
        output.WriteLine("first:  " + first);
        Assert.True(first.Succeeded, string.Join("\n", first.Errors));
        Assert.Equal(12, first.RunsCreated);
        Assert.Equal(12 * (9 * MlflowTestData.MeasureCount + 4), first.PointsSent);
        AssertExactlyOnce("sweep", 12, 9);

        int points = server.PointCount;
        var second = MlflowSync.Run(layout, settings);
        output.WriteLine("second: " + second);
        Assert.True(second.Succeeded, string.Join("\n", second.Errors));
        Assert.Equal((0, 12, 0, 0, 0, 0), (second.RunsCreated, second.RunsFound, second.PointsSent, second.ParamsSent, second.TagsSent, second.StatusesSet));
        Assert.Equal(points, server.PointCount);
        Assert.Empty(second.Conflicts);
    }

    [Fact]
    public async Task Sync_tags_each_finished_run_with_its_outcome_once()
    {
        var layout = ResultsLayout.For(root, "judged");
        var records = MlflowTestData.WriteExperiment(layout, "judged", seeds: 2, epochs: 3);
        var collapsed = new Harness.Training.TrainingVerdict(Harness.Training.TrainingOutcome.Collapsed, 0.5, 1.0, 3, "fell back to chance");
        RunStatusFile.Write(layout.RunStatusJson(records[0].Spec.RunId), RunStatusFile.Now(RunState.Finished, 3, 3, verdict: collapsed));
        var settings = MlflowTestData.Fast(server.Uri, "judged");

        Assert.True(MlflowSync.Run(layout, settings).Succeeded);
        var child = Assert.Single(server.Runs("judged"), r => r.Tags.GetValueOrDefault("harness.run_id") == records[0].Spec.RunId);
        Assert.Equal(("collapsed", "3"), (child.Tags["harness.outcome"], child.Tags["harness.collapse_epoch"]));
        var other = Assert.Single(server.Runs("judged"), r => r.Tags.GetValueOrDefault("harness.run_id") == records[1].Spec.RunId);
        Assert.False(other.Tags.ContainsKey("harness.outcome")); // written without an outcome: nothing is invented
        Assert.Equal(0, MlflowSync.Run(layout, settings).TagsSent);
    }

    [Fact]
    public async Task Server_dying_mid_sweep_then_sync_leaves_every_epoch_of_every_run_exactly_once()
    {
        var layout = ResultsLayout.For(root, "crash");
        var settings = MlflowTestData.Fast(server.Uri, "crash") with { FlushTimeout = TimeSpan.FromSeconds(2) };
        server.DieAfter(25); // the 25th request is processed but never answered, then the server is gone
        var csv = new RunStore(layout);
        using (var sink = new MlflowSink(settings, layout))
            for (int seed = 1; seed <= 12; seed++)
            {
                var record = MlflowTestData.Record("crash", seed, 9);
                csv.Started(record); sink.RunStarted(record);
                for (int e = 1; e <= 9; e++)
                {
                    var m = MlflowTestData.Epoch(e, seed);
                    csv.EpochCompleted(record, m); sink.EpochCompleted(record, m);
                }
                var outcome = new RunOutcome(RunState.Finished, 9);
                csv.Ended(record, outcome); sink.RunEnded(record, outcome);
                await Task.Delay(5);
            }
        int before = server.PointCount;
        output.WriteLine($"points stored before the crash: {before}");
        Assert.True(before < 12 * 9 * MlflowTestData.MeasureCount);

        await server.RestartAsync();
        var report = MlflowSync.Run(layout, settings with { TrackingUri = server.Uri });
        output.WriteLine("sync:  " + report);
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        AssertExactlyOnce("crash", 12, 9);

        var again = MlflowSync.Run(layout, settings with { TrackingUri = server.Uri });
        output.WriteLine("again: " + again);
        Assert.Equal(0, again.PointsSent);
        Assert.Equal(0, again.RunsCreated);
    }

    [Fact]
    public async Task Sync_against_a_dead_server_stops_early_with_an_error()
    {
        var layout = ResultsLayout.For(root, "dead");
        MlflowTestData.WriteExperiment(layout, "dead", seeds: 3, epochs: 2);
        var report = MlflowSync.Run(layout, MlflowTestData.Fast(FakeMlflowServer.ClosedPortUri()));
        Assert.False(report.Succeeded);
        Assert.Contains(report.Errors, e => e.Contains("2 more run(s) not synced"));
        Assert.True(report.Requests <= 3, report.ToString());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_changed_param_is_reported_as_a_conflict_and_the_rest_still_syncs()
    {
        var layout = ResultsLayout.For(root, "conflict");
        var records = MlflowTestData.WriteExperiment(layout, "conflict", seeds: 1, epochs: 3);
        var settings = MlflowTestData.Fast(server.Uri, "conflict");
        using (var client = new MlflowClient(settings))
        {
            string exp = await client.GetOrCreateExperimentAsync("conflict");
            var run = await client.CreateRunAsync(exp, "old", 1, new Dictionary<string, string> { ["harness.run_id"] = records[0].Spec.RunId });
            await client.LogBatchAsync(run.RunId, parameters: [KeyValuePair.Create("optimizer.learning_rate", "0.5")]);
        }
        var report = MlflowSync.Run(layout, settings);
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        Assert.Single(report.Conflicts);
        Assert.Contains("optimizer.learning_rate", report.Conflicts[0]);
        Assert.Equal(1, report.RunsFound);
        var child = server.Runs("conflict").Single(r => r.Tags.ContainsKey("harness.run_id"));
        Assert.Equal("0.5", child.Params["optimizer.learning_rate"]);
        Assert.Equal(3, child.Metrics.Count(m => m.Key == "train_loss"));
        Assert.Equal(0, server.Rejections);
    }
}
