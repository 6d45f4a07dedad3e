using Harness.Execution;
using System.Diagnostics;
using System.Text.Json;
using Harness.Tracking;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

public sealed class MlflowSinkTests : FakeServerTests
{
    /// <summary>Drives the CSV sink and the MLflow sink as the executor's fan-out would.</summary>
    private static void Train(RunStore csv, IMetricSink mlflow, RunRecord record, int epochs, int seed)
    {
        csv.Started(record); mlflow.RunStarted(record);
        for (int e = 1; e <= epochs; e++)
        {
            var m = MlflowTestData.Epoch(e, seed);
            csv.EpochCompleted(record, m); mlflow.EpochCompleted(record, m);
        }
        var outcome = new RunOutcome(RunState.Finished, epochs);
        csv.Ended(record, outcome); mlflow.RunEnded(record, outcome);
    }

    [Fact]
    public async Task Healthy_server_gets_parent_children_params_tags_and_full_histories()
    {
        var layout = ResultsLayout.For(root, "tiny");
        var settings = MlflowTestData.Fast(server.Uri, "tiny-mlflow");
        var csv = new RunStore(layout);
        using (var sink = new MlflowSink(settings, layout))
            for (int seed = 1; seed <= 2; seed++) Train(csv, sink, MlflowTestData.Record("tiny", seed, 6), 6, seed);

        var runs = server.Runs("tiny-mlflow");
        var parent = Assert.Single(runs, r => r.Tags.GetValueOrDefault("harness.parent") == "true");
        Assert.Equal("tiny", parent.Tags["harness.experiment"]);
        var children = runs.Where(r => r != parent).ToList();
        Assert.Equal(2, children.Count);
        using var client = new MlflowClient(settings);
        foreach (var child in children)
        {
            Assert.Equal(parent.Id, child.Tags["mlflow.parentRunId"]);
            foreach (var tag in new[] { "harness.run_id", "harness.condition", "harness.seed", "harness.experiment", "mlflow.source.git.commit",
                                        "mlflow.runName", "harness.host", "harness.device", "harness.git_dirty" })
                Assert.True(child.Tags.ContainsKey(tag), tag);
            Assert.StartsWith("snap29 shallow rgb seed", child.Name);
            Assert.Equal("0.001", child.Params["optimizer.learning_rate"]);
            Assert.Equal("rgb", child.Params["image.color_mode"]);
            Assert.Equal("snap29-like", child.Params["data.synthetic.preset"]);
            Assert.Equal(child.Tags["harness.seed"], child.Params["seed"]);
            Assert.Equal("FINISHED", child.Status);
            Assert.NotNull(child.EndTime);
            foreach (var key in MetricColumns.Measures(MlflowTestData.Epoch(1, 1)).Select(m => m.Key))
            {
                var history = await client.GetMetricHistoryAsync(child.Id, key);
                Assert.Equal([1L, 2, 3, 4, 5, 6], history.Select(h => h.Step).Order());
            }
            Assert.Equal(6, child.Metrics.Single(m => m.Key == "memorization_epoch").Value);
            Assert.Single(child.Metrics, m => m.Key == "final_test_accuracy");
            Assert.Single(child.Metrics, m => m.Key == "peak_test_accuracy");
            Assert.Single(child.Metrics, m => m.Key == "final_train_accuracy");
            var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout.RunDirectory(child.Tags["harness.run_id"]), "mlflow.json"))).RootElement;
            Assert.Equal(child.Id, marker.GetProperty("mlflow_run_id").GetString());
            Assert.Equal(6, marker.GetProperty("last_epoch_sent").GetInt32());
        }
        Assert.Equal(0, server.Rejections);
    }

    [Fact]
    public void Dead_server_never_slows_the_caller_and_dispose_is_bounded()
    {
        var layout = ResultsLayout.For(root, "dead");
        var settings = MlflowTestData.Fast(FakeMlflowServer.ClosedPortUri()) with { FlushTimeout = TimeSpan.FromSeconds(2) };
        var record = MlflowTestData.Record("dead", 1, 9);
        var warnings = new List<string>();
        var csv = new RunStore(layout);
        var sink = new MlflowSink(settings, layout, w => { lock (warnings) warnings.Add(w); });
        var slowest = TimeSpan.Zero;
        csv.Started(record);
        sink.RunStarted(record);
        for (int e = 1; e <= 9; e++)
        {
            var m = MlflowTestData.Epoch(e, 1);
            csv.EpochCompleted(record, m);
            var clock = Stopwatch.StartNew();
            sink.EpochCompleted(record, m);
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
        }
        sink.RunEnded(record, new RunOutcome(RunState.Finished, 9));
        var disposing = Stopwatch.StartNew();
        sink.Dispose();
        Assert.True(slowest < TimeSpan.FromMilliseconds(50), $"EpochCompleted took {slowest.TotalMilliseconds} ms");
        Assert.True(disposing.Elapsed < settings.FlushTimeout + TimeSpan.FromSeconds(1.5), $"Dispose took {disposing.Elapsed}");
        Assert.Contains(warnings, w => w.Contains("unavailable") || w.Contains("incomplete"));
        var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout.RunDirectory(record.Spec.RunId), "mlflow.json"))).RootElement;
        Assert.Equal(0, marker.GetProperty("last_epoch_sent").GetInt32());
        Assert.NotNull(marker.GetProperty("note").GetString());
    }

    [Fact]
    public void Slow_server_never_slows_the_caller_and_dispose_gives_up_in_time()
    {
        var layout = ResultsLayout.For(root, "slow");
        var settings = MlflowTestData.Fast(server.Uri) with { RequestTimeout = TimeSpan.FromSeconds(5), FlushTimeout = TimeSpan.FromMilliseconds(500) };
        server.DelayNext(1000, TimeSpan.FromSeconds(30));
        var record = MlflowTestData.Record("slow", 1, 3);
        var sink = new MlflowSink(settings, layout);
        var clock = Stopwatch.StartNew();
        sink.RunStarted(record);
        for (int e = 1; e <= 3; e++) sink.EpochCompleted(record, MlflowTestData.Epoch(e, 1));
        sink.RunEnded(record, new RunOutcome(RunState.Finished, 3));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(50), clock.Elapsed.ToString());
        clock.Restart();
        sink.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"Dispose took {clock.Elapsed}");
    }

    [Fact]
    public async Task Outage_in_the_middle_of_a_run_is_caught_up_without_duplicates()
    {
        var layout = ResultsLayout.For(root, "flaky");
        var settings = MlflowTestData.Fast(server.Uri, "flaky") with { OutageCooldown = TimeSpan.FromMilliseconds(50) };
        var record = MlflowTestData.Record("flaky", 1, 6);
        var csv = new RunStore(layout);
        using (var sink = new MlflowSink(settings, layout))
        {
            csv.Started(record); sink.RunStarted(record);
            for (int e = 1; e <= 6; e++)
            {
                if (e == 3) server.FailNext(4, 502);
                var m = MlflowTestData.Epoch(e, 1);
                csv.EpochCompleted(record, m); sink.EpochCompleted(record, m);
                await Task.Delay(80);
            }
            csv.Ended(record, new RunOutcome(RunState.Finished, 6)); sink.RunEnded(record, new RunOutcome(RunState.Finished, 6));
        }
        var child = server.Runs("flaky").Single(r => r.Tags.ContainsKey("harness.run_id"));
        foreach (var group in child.Metrics.GroupBy(m => m.Key))
            Assert.Equal(group.Count(), group.Select(m => m.Step).Distinct().Count());
        Assert.Equal(6, child.Metrics.Count(m => m.Key == "train_loss"));
        Assert.Equal("FINISHED", child.Status);
    }
}
