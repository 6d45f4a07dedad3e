using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

/// <summary>
/// What MLflow and mlflow.json say must be true: failed runs appear with their reason, a server that is not MLflow is
/// named once, mlflow.json tells what really reached the server, and the UI gets a parent duration, a source and a
/// dataset input.
/// </summary>
public sealed class MlflowMirrorTruthTests : FakeServerTests
{
    private static JsonElement Marker(ResultsLayout layout, string runId) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(layout.RunDirectory(runId), MlflowRunMarker.FileName))).RootElement;

    private static void Train(RunStore csv, IMetricSink sink, RunRecord record, int epochs)
    {
        csv.Started(record); sink.RunStarted(record);
        for (int e = 1; e <= epochs; e++)
        {
            var m = MlflowTestData.Epoch(e, record.Spec.Seed);
            csv.EpochCompleted(record, m); sink.EpochCompleted(record, m);
        }
        var outcome = new RunOutcome(RunState.Finished, epochs);
        csv.Ended(record, outcome); sink.RunEnded(record, outcome);
    }

    [Fact]
    public void A_server_answering_html_is_named_once_by_the_sync_and_once_by_the_live_mirror()
    {
        var layout = ResultsLayout.For(root, "html");
        MlflowTestData.WriteExperiment(layout, "html", seeds: 3, epochs: 2);
        var settings = MlflowTestData.Fast(new Uri(server.Uri, "/proxy/"), "html");
        var logged = new List<string>();

        var report = MlflowSync.Run(layout, settings, logged.Add);

        string error = Assert.Single(report.Errors);
        Assert.StartsWith($"{settings.SafeUri} is not an MLflow tracking server (HTTP 404, text/html)", error);
        Assert.Contains("3 run(s) not synced", error);
        Assert.Empty(logged); // the command prints the report's errors: not a second time through the log
        Assert.DoesNotContain("<", error);

        var warnings = new List<string>();
        var csv = new RunStore(ResultsLayout.For(root, "html-live"));
        using (var sink = new MlflowSink(settings, ResultsLayout.For(root, "html-live"), w => { lock (warnings) warnings.Add(w); }))
            for (int seed = 1; seed <= 3; seed++) Train(csv, sink, MlflowTestData.Record("html-live", seed, 2), 2);
        Assert.Single(warnings, w => w.Contains("is not an MLflow tracking server (HTTP 404, text/html)"));
        Assert.DoesNotContain(warnings, w => w.Contains('<'));
    }

    [Fact]
    public void Mlflow_json_lists_the_epochs_a_dead_server_never_got_and_a_successful_sync_clears_the_note()
    {
        var layout = ResultsLayout.For(root, "truth");
        var settings = MlflowTestData.Fast(FakeMlflowServer.ClosedPortUri(), "truth") with
        {
            FlushTimeout = TimeSpan.FromSeconds(1), MaxAttempts = 3, InitialBackoff = TimeSpan.FromMilliseconds(300), MaxBackoff = TimeSpan.FromMilliseconds(300),
        };
        var record = MlflowTestData.Record("truth", 1, 5);
        var csv = new RunStore(layout);
        using (var sink = new MlflowSink(settings, layout))
            Train(csv, sink, record, 5);

        var dead = Marker(layout, record.Spec.RunId);
        Assert.Equal(0, dead.GetProperty("last_epoch_sent").GetInt32());
        Assert.Equal([1, 2, 3, 4, 5], dead.GetProperty("epochs_unsent").EnumerateArray().Select(e => e.GetInt32()));
        Assert.NotNull(dead.GetProperty("note").GetString());

        var report = MlflowSync.Run(layout, MlflowTestData.Fast(server.Uri, "truth"));
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        var synced = Marker(layout, record.Spec.RunId);
        Assert.Equal(5, synced.GetProperty("last_epoch_sent").GetInt32());
        Assert.Empty(synced.GetProperty("epochs_unsent").EnumerateArray());
        Assert.False(synced.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String, "a stale note survived the sync");
        Assert.Equal("FINISHED", synced.GetProperty("status_sent").GetString());
        var child = server.Runs("truth").Single(r => r.Tags.ContainsKey("harness.run_id"));
        Assert.Equal(child.Id, synced.GetProperty("mlflow_run_id").GetString());
    }

    [Fact]
    public async Task The_ui_gets_a_parent_duration_a_source_and_each_runs_data_set_as_an_input_once()
    {
        var layout = ResultsLayout.For(root, "ui");
        var settings = MlflowTestData.Fast(server.Uri, "ui");
        var csv = new RunStore(layout);
        using (var sink = new MlflowSink(settings, layout))
            for (int seed = 1; seed <= 2; seed++)
            {
                Train(csv, sink, MlflowTestData.Record("ui", seed, 3), 3);
                await Task.Delay(20); // the second run ends later than the first
            }

        var runs = server.Runs("ui");
        var parent = Assert.Single(runs, r => r.Tags.GetValueOrDefault("harness.parent") == "true");
        var children = runs.Where(r => r != parent).ToList();
        Assert.Equal(2, children.Count);
        Assert.Equal(children.Max(c => c.EndTime), parent.EndTime);
        Assert.True(parent.EndTime > parent.StartTime, $"parent duration {parent.EndTime - parent.StartTime} ms");
        foreach (var run in runs)
        {
            Assert.Equal("harness", run.Tags["mlflow.source.name"]);
            Assert.Equal("LOCAL", run.Tags["mlflow.source.type"]);
        }
        foreach (var child in children)
        {
            var input = Assert.Single(child.Datasets);
            Assert.Equal("synthetic snap29-like", input.Name);
            Assert.Equal("fingerprint", input.Digest); // MlflowTestData's data fingerprint
            Assert.Equal("code", input.SourceType);
            Assert.Equal("train", input.Tags["mlflow.data.context"]);
            Assert.Equal(2, JsonDocument.Parse(input.Profile!).RootElement.GetProperty("classes").GetInt32());
        }
        Assert.Equal(0, server.Rejections);

        // A sync afterwards finds the inputs in the runs it searched: no second log-inputs.
        int inputsBefore = server.RequestsByRoute.GetValueOrDefault("POST runs/log-inputs");
        var report = MlflowSync.Run(layout, settings);
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        Assert.Equal(inputsBefore, server.RequestsByRoute.GetValueOrDefault("POST runs/log-inputs"));
    }

    [Fact]
    public void A_long_fingerprint_is_cut_to_the_36_characters_mlflow_stores()
    {
        var record = MlflowTestData.Record("fp", 1) with { DataFingerprint = new string('a', 64) };
        var dataset = MlflowRunMapping.Dataset(record)!;
        Assert.Equal(new string('a', 36), dataset.Digest);
        Assert.Null(MlflowRunMapping.Dataset(record with { DataFingerprint = "" }));
    }

    [Theory]
    [InlineData("""{"run_id": "RUN", "dataset": [{"dataset": {"name": "d", "digest": "x", "source_type": "local", "source": "{}"}}]}""")]
    [InlineData("""{"run_id": "RUN", "datasets": [{"dataset": {"name": "d", "digest": "0123456789012345678901234567890123456789", "source_type": "local", "source": "{}"}}]}""")]
    [InlineData("""{"run_id": "RUN", "datasets": [{"dataset": {"name": "d", "digest": "x", "source": "{}"}}]}""")]
    public async Task The_fake_refuses_log_inputs_requests_mlflow_would_refuse_or_ignore(string body)
    {
        using var client = new MlflowClient(MlflowTestData.Fast(server.Uri));
        string experiment = await client.GetOrCreateExperimentAsync("inputs");
        var run = await client.CreateRunAsync(experiment, "r", 1, new Dictionary<string, string>());
        using var http = new HttpClient();
        var content = new StringContent(body.Replace("RUN", run.RunId), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.PostAsync(new Uri(server.Uri, "/api/2.0/mlflow/runs/log-inputs"), content);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Empty(server.Runs("inputs").Single().Datasets);
    }

    [Fact]
    public void A_failed_runs_reason_reaches_mlflow_through_sync()
    {
        var layout = ResultsLayout.For(root, "failed");
        var record = MlflowTestData.Record("failed", 1, 4);
        var csv = new RunStore(layout);
        csv.Started(record);
        csv.Ended(record, new RunOutcome(RunState.Failed, 0, "ArgumentException: deep needs images of at least 256 x 256"));

        var report = MlflowSync.Run(layout, MlflowTestData.Fast(server.Uri, "failed"));

        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        var child = server.Runs("failed").Single(r => r.Tags.ContainsKey("harness.run_id"));
        Assert.Equal("FAILED", child.Status);
        Assert.NotNull(child.EndTime);
        Assert.Equal("ArgumentException: deep needs images of at least 256 x 256", child.Tags["harness.status_reason"]);
    }

    [Fact]
    public void A_run_that_fails_before_its_first_epoch_is_mirrored_live_as_failed_with_its_reason_and_sync_finds_it()
    {
        using var tiny = new TinyExperiment();
        var planned = tiny.Plan("seeds=1", "epochs=1");
        // The data of the first condition is missing: the run fails while its data are loaded, before it starts.
        var broken = planned[0] with { Data = new DataSpec(new FolderDataSpec(Path.Combine(tiny.Directory, "no-such-folder"), [], 0.25)) };
        var layout = tiny.Layout();
        var settings = MlflowTestData.Fast(server.Uri, "tiny-failed");
        using (var sink = new MlflowSink(settings, layout))
            new RunExecutor(layout, new DatasetCache(tiny.Directory), [sink]).Run([broken], new ExecutorOptions());

        Assert.Equal(RunState.Failed, RunStatusFile.TryRead(layout.RunStatusJson(broken.RunId))!.State);
        Assert.True(File.Exists(layout.RunYaml(broken.RunId)), "no run.yaml for a run that failed before it started");
        var child = server.Runs("tiny-failed").Single(r => r.Tags.ContainsKey("harness.run_id"));
        Assert.Equal(broken.RunId, child.Tags["harness.run_id"]);
        Assert.Equal("FAILED", child.Status);
        Assert.Contains("no-such-folder", child.Tags["harness.status_reason"]);

        var report = MlflowSync.Run(layout, settings);
        Assert.True(report.Succeeded, string.Join("\n", report.Errors));
        Assert.Equal((0, 1), (report.RunsCreated, report.RunsFound));
    }

    [Fact]
    public void A_run_folder_without_run_yaml_is_reported_by_sync_never_skipped_silently()
    {
        var layout = ResultsLayout.For(root, "orphan");
        MlflowTestData.WriteExperiment(layout, "orphan", seeds: 1, epochs: 1);
        Directory.CreateDirectory(layout.RunDirectory("0123456789ab"));
        RunStatusFile.Write(layout.RunStatusJson("0123456789ab"), RunStatusFile.Now(RunState.Failed, 0, 3, "DataException: no images"));

        var report = MlflowSync.Run(layout, MlflowTestData.Fast(server.Uri, "orphan"));

        var skipped = Assert.Single(report.Skipped ?? []);
        Assert.Contains("0123456789ab", skipped);
        Assert.Contains("DataException: no images", skipped);
    }
}
