using System.Diagnostics;
using Harness.Tracking;

namespace Harness.Tests.Tracking;

/// <summary><c>harness sync</c> as a user runs it: the built CLI in its own process, output redirected (as in CI or a log file).</summary>
public sealed class SyncCommandLineTests : FakeServerTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");
    private static (int Code, string Out, string Err) Harness(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var v in new[] { "MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD" })
            info.Environment.Remove(v);
        info.Environment["COLUMNS"] = "80";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(2))) { p.Kill(true); throw new TimeoutException("harness sync did not finish"); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private ResultsLayout Experiment(string name, string trackingBlock)
    {
        var layout = ResultsLayout.For(root, name);
        MlflowTestData.WriteExperiment(layout, name, seeds: 2, epochs: 2);
        File.WriteAllText(Path.Combine(layout.ExperimentDirectory, "experiment.yaml"), $"""
            # Copied from /home/someone/experiments/{name}.yaml
            name: {name}
            epochs: 2
            architecture: shallow
            conditions:
              snap29: {"{"}data: {"{"}folders: {"{"}train: /data/that/is/elsewhere{"}"}{"}"}{"}"}
            {trackingBlock}
            """);
        return layout;
    }

    [Fact]
    public void Sync_follows_the_specs_tracking_block_and_a_uri_flag_alone_keeps_its_experiment_name()
    {
        var layout = Experiment("study", $"tracking: {{mlflow: {{tracking_uri: \"{server.Uri}\", experiment_name: my-study}}}}");

        var (code, stdout, stderr) = Harness("sync", layout.ExperimentDirectory);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(2, server.Runs("my-study").Count(r => r.Tags.ContainsKey("harness.run_id")));

        var again = Harness("sync", layout.ExperimentDirectory, "--tracking-uri", server.Uri.ToString());
        Assert.True(again.Code == 0, again.Out + again.Err);
        Assert.Contains("0 run(s) created, 2 found", again.Out);
        Assert.Null(server.ExperimentId("study"));
        Assert.Equal(2, server.Runs("my-study").Count(r => r.Tags.ContainsKey("harness.run_id")));
    }

    [Fact]
    public void Redirected_output_is_never_wrapped_and_an_html_server_is_named_once()
    {
        var layout = Experiment("wrap", "");
        string url = new Uri(server.Uri, "/a-rather-long-path/behind/a/reverse-proxy/that/does/not/lead/to/mlflow/at/all/").ToString();

        var (code, stdout, stderr) = Harness("sync", layout.ExperimentDirectory, "--tracking-uri", url);

        Assert.Equal(1, code);
        string all = stdout + stderr;
        var line = Assert.Single(all.Split('\n'), l => l.Contains("is not an MLflow tracking server"));
        Assert.Contains($"{url} is not an MLflow tracking server (HTTP 404, text/html)", line);
        Assert.Contains(stdout.Split('\n'), l => l.Contains(layout.ExperimentDirectory) && l.Length > 80);
        Assert.DoesNotContain("<", all);
    }
}
