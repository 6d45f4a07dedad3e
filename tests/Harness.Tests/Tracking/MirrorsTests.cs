using Harness.Tracking;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

public sealed class MirrorsTests
{
    [Fact]
    public void A_spec_that_tracks_nothing_opens_no_mirror()
    {
        if (Environment.GetEnvironmentVariable("MLFLOW_TRACKING_URI") is { Length: > 0 }) return; // the environment asks for MLflow here
        using var tiny = new TinyExperiment();
        var said = new List<string>();
        Assert.Empty(Mirrors.Open(new MirrorContext(tiny.Spec(), tiny.Layout(), said.Add, _ => { })));
        Assert.Empty(said);
    }

    [Fact]
    public void A_spec_with_tracking_mlflow_opens_the_mlflow_mirror_and_says_where_it_goes()
    {
        using var tiny = new TinyExperiment(TinyExperiment.Yaml + "\ntracking: {mlflow: {tracking_uri: \"http://127.0.0.1:9\", experiment_name: my-study}}\n");
        var said = new List<string>();
        var mirrors = Mirrors.Open(new MirrorContext(tiny.Spec(), tiny.Layout(), said.Add, _ => { }));
        try
        {
            Assert.IsType<MlflowSink>(Assert.Single(mirrors));
            Assert.Equal("Mirroring to MLflow at http://127.0.0.1:9/ (experiment 'my-study')", Assert.Single(said));
        }
        finally
        {
            foreach (var mirror in mirrors) mirror.Dispose();
        }
    }

    [Fact]
    public void Every_mirror_is_named_in_the_readme()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.All(Mirrors.All, entry => Assert.Contains($"| `{entry.Name}` | {entry.WhenOn} |", readme));
    }
}
