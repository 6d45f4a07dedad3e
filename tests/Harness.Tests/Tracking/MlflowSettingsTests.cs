using System.Collections;
using Harness.Specs;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

public sealed class MlflowSettingsTests
{
    private static Hashtable Env(params (string Key, string Value)[] vars)
    {
        var env = new Hashtable();
        foreach (var (k, v) in vars) env[k] = v;
        return env;
    }

    [Fact]
    public void Without_a_uri_anywhere_mlflow_is_off()
    {
        Assert.Null(MlflowSettings.Resolve(null, "exp", Env()));
        Assert.Null(MlflowSettings.Resolve(new MlflowSpec(true, null, null), "exp", Env()));
    }

    [Fact]
    public void A_disabled_spec_wins_over_the_environment()
    {
        Assert.Null(MlflowSettings.Resolve(new MlflowSpec(false, "http://h:5000", null), "exp", Env(("MLFLOW_TRACKING_URI", "http://h:5000"))));
    }

    [Fact]
    public void Experiment_name_comes_from_spec_then_environment_then_harness_experiment()
    {
        var env = Env(("MLFLOW_TRACKING_URI", "http://h:5000"), ("MLFLOW_EXPERIMENT_NAME", "from-env"));
        Assert.Equal("from-spec", MlflowSettings.Resolve(new MlflowSpec(true, null, "from-spec"), "exp", env)!.ExperimentName);
        Assert.Equal("from-env", MlflowSettings.Resolve(new MlflowSpec(true, null, null), "exp", env)!.ExperimentName);
        Assert.Equal("exp", MlflowSettings.Resolve(null, "exp", Env(("MLFLOW_TRACKING_URI", "http://h:5000")))!.ExperimentName);
        Assert.Equal(new Uri("http://spec:1"), MlflowSettings.Resolve(new MlflowSpec(true, "http://spec:1", null), "exp", env)!.TrackingUri);
    }

    [Fact]
    public void A_non_http_uri_is_refused_clearly()
    {
        var e = Assert.Throws<ArgumentException>(() => MlflowSettings.Resolve(new MlflowSpec(true, "file:///tmp/mlruns", null), "exp", Env()));
        Assert.Contains("not an http(s) URI", e.Message);
    }

    [Fact]
    public void Secrets_never_appear_in_ToString()
    {
        var env = Env(("MLFLOW_TRACKING_URI", "https://user:uripass@h:5000/"), ("MLFLOW_TRACKING_TOKEN", "s3cr3t-token"),
            ("MLFLOW_TRACKING_USERNAME", "ann"), ("MLFLOW_TRACKING_PASSWORD", "hunter2"));
        var settings = MlflowSettings.Resolve(null, "exp", env)!;
        Assert.Equal("s3cr3t-token", settings.Token);
        string text = settings.ToString() + " " + settings.SafeUri + " " + (settings with { Token = null });
        Assert.DoesNotContain("s3cr3t", text);
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("uripass", text);
        Assert.Contains("***", text);
    }

    [Fact]
    public async Task Secrets_never_appear_in_error_messages()
    {
        var settings = MlflowTestData.Fast(FakeMlflowServer.ClosedPortUri()) with { Token = "s3cr3t-token", Password = "hunter2", Username = "ann" };
        using var client = new MlflowClient(settings);
        var e = await Assert.ThrowsAsync<MlflowException>(() => client.GetExperimentIdAsync("x"));
        Assert.DoesNotContain("s3cr3t", e.ToString());
        Assert.DoesNotContain("hunter2", e.ToString());
    }

    [Fact]
    public void Sync_takes_the_specs_server_and_experiment_and_flags_override_each_alone()
    {
        var spec = new MlflowSpec(true, "http://spec:5000", "my-study");
        var env = Env(("MLFLOW_TRACKING_URI", "http://env:5000"));

        var fromSpec = MlflowSettings.ForSync(spec, "snf7", null, null, env)!;
        Assert.Equal(("http://spec:5000/", "my-study"), (fromSpec.TrackingUri.ToString(), fromSpec.ExperimentName));

        // --tracking-uri alone keeps the spec's experiment name: no second copy of the experiment under another name.
        var uriFlag = MlflowSettings.ForSync(spec, "snf7", "http://flag:5000", null, env)!;
        Assert.Equal(("http://flag:5000/", "my-study"), (uriFlag.TrackingUri.ToString(), uriFlag.ExperimentName));

        var nameFlag = MlflowSettings.ForSync(spec, "snf7", null, "other", env)!;
        Assert.Equal(("http://spec:5000/", "other"), (nameFlag.TrackingUri.ToString(), nameFlag.ExperimentName));

        var noSpec = MlflowSettings.ForSync(null, "snf7", null, null, env)!;
        Assert.Equal(("http://env:5000/", "snf7"), (noSpec.TrackingUri.ToString(), noSpec.ExperimentName));
    }

    [Fact]
    public void Sync_of_a_spec_that_turns_mlflow_off_needs_an_explicit_uri()
    {
        var off = new MlflowSpec(false, "http://spec:5000", "my-study");
        Assert.Null(MlflowSettings.ForSync(off, "snf7", null, null, Env(("MLFLOW_TRACKING_URI", "http://env:5000"))));
        Assert.Equal("my-study", MlflowSettings.ForSync(off, "snf7", "http://flag:5000", null, Env())!.ExperimentName);
    }

    [Fact]
    public void The_tracking_block_is_read_from_a_spec_copy_whose_data_folders_do_not_exist_here()
    {
        const string yaml = """
            name: snf7
            epochs: 2
            architecture: deep
            conditions:
              a: {data: {folders: {train: /nowhere/at/all}}}
            tracking: {mlflow: {tracking_uri: "http://127.0.0.1:5000", experiment_name: my-study}}
            """;
        var (name, tracking) = SpecLoader.ParseTracking(yaml, "/results/snf7/experiment.yaml");
        Assert.Equal("snf7", name);
        Assert.Equal(new MlflowSpec(true, "http://127.0.0.1:5000", "my-study"), tracking.Mlflow);
        var (_, overridden) = SpecLoader.ParseTracking(yaml, "/results/snf7/experiment.yaml", ["tracking.mlflow.experiment_name=study-2"]);
        Assert.Equal("study-2", overridden.Mlflow!.ExperimentName);
    }
}
