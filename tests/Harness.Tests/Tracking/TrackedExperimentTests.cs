using Harness.Execution;
using Harness.Tracking;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

/// <summary>A real (tiny) training sweep mirrored to the MLflow fake: what a user sees in the UI.</summary>
public sealed class TrackedExperimentTests
{
    [Fact]
    public async Task A_trained_sweep_appears_as_parent_and_child_runs_with_params_tags_and_full_histories()
    {
        await using var server = await FakeMlflowServer.StartAsync();
        using var tiny = new TinyExperiment();
        var runs = tiny.Plan();
        var layout = tiny.Layout();
        var settings = MlflowTestData.Fast(server.Uri, "tiny");
        using (var sink = new MlflowSink(settings, layout))
            new RunExecutor(layout, new DatasetCache(tiny.Directory), [sink]).Run(runs, new ExecutorOptions());

        var stored = server.Runs("tiny");
        var parent = Assert.Single(stored, r => r.Tags.GetValueOrDefault("harness.parent") == "true");
        var children = stored.Where(r => r != parent).ToArray();
        Assert.Equal(runs.Count, children.Length);
        foreach (var run in runs)
        {
            var child = Assert.Single(children, c => c.Tags["harness.run_id"] == run.RunId);
            Assert.Equal(parent.Id, child.Tags["mlflow.parentRunId"]);
            Assert.Equal(run.DisplayName, child.Tags["mlflow.runName"]);
            Assert.Equal(run.Condition, child.Tags["harness.condition"]);
            Assert.Equal("FINISHED", child.Status);
            Assert.Equal("cifar-small", child.Params["architecture"]);
            Assert.Equal(run.Seed.ToString(), child.Params["seed"]);
            Assert.True(child.Tags.ContainsKey("mlflow.source.git.commit"));
            foreach (var key in new[] { "train_accuracy", "test_accuracy", "test_loss", "train_loss_running" })
                Assert.Equal([1L, 2L], child.Metrics.Where(m => m.Key == key).Select(m => m.Step).Order());
            Assert.Contains(child.Metrics, m => m.Key == "final_test_accuracy");
            // The run's outcome, as in its status.json, so the UI can filter runs that never trained.
            var status = RunStatusFile.TryRead(layout.RunStatusJson(run.RunId))!;
            Assert.Equal(Harness.Training.TrainingOutcomeRules.Label(status.Outcome!.Value), child.Tags["harness.outcome"]);
            foreach (var key in new[] { "dead_unit_fraction", "logit_spread" })
                Assert.Equal([1L, 2L], child.Metrics.Where(m => m.Key == key).Select(m => m.Step).Order());
        }

        // Nothing is missing, so a sync afterwards sends nothing.
        var report = MlflowSync.Run(layout, settings);
        Assert.Equal((0, 0), (report.PointsSent, report.RunsCreated));
    }
}
