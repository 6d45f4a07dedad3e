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
}
