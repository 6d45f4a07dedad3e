using Harness.Execution;
using Harness.Specs;
using Harness.Tracking;

namespace Harness.Tests;

/// <summary>A tiny experiment (32 x 32 synthetic cells, cifar-small, a few dozen images) that trains in seconds on 2 cores.</summary>
internal sealed class TinyExperiment : IDisposable
{
    public const string Yaml = """
        name: tiny
        seeds: 2
        epochs: 2
        batch_size: 8
        threads: 1
        device: cpu
        architecture: cifar-small
        image: {size: 32}
        conditions:
          snap29: {data: {synthetic: {preset: snap29-like, train_per_class: 12, test_per_class: 6, data_seed: 29, size: 32}}}
          snf7: {data: {synthetic: {preset: snf7-like, train_per_class: 12, test_per_class: 6, data_seed: 7, size: 32}}}
        """;

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("harness-tiny-").FullName;

    public string SpecPath { get; }

    public TinyExperiment(string? yaml = null)
    {
        SpecPath = Path.Combine(Directory, "tiny.yaml");
        File.WriteAllText(SpecPath, yaml ?? Yaml);
    }

    public ExperimentSpec Spec(params string[] overrides) => SpecLoader.Load(SpecPath, overrides);

    public IReadOnlyList<RunSpec> Plan(params string[] overrides) => ExperimentPlanner.Plan(Spec(overrides));

    public ResultsLayout Layout(string name = "results") => ResultsLayout.For(Path.Combine(Directory, name), "tiny");

    public SweepResult Run(IReadOnlyList<RunSpec> runs, string resultsName = "results", IProgress<RunProgress>? progress = null, CancellationToken stop = default) =>
        new RunExecutor(Layout(resultsName), new DatasetCache(Directory), []).Run(runs, new ExecutorOptions(), progress, stop);

    /// <summary>A run's metrics without the wall-time column (the only one allowed to differ between identical runs).</summary>
    public static string[] MetricsWithoutTimes(string path)
    {
        var table = TidyCsv.Read(path);
        int seconds = table.IndexOf("epoch_seconds");
        return table.Rows.Select(r => string.Join(",", r.Where((_, i) => i != seconds))).ToArray();
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
