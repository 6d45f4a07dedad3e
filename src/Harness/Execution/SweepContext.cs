using Harness.Tracking;

namespace Harness.Execution;

/// <summary>What every run session of one sweep shares.</summary>
/// <param name="Layout">The experiment's results folder.</param>
/// <param name="Datasets">Prepared-data cache.</param>
/// <param name="Store">The runs' files (the one writer of status.json and metrics.csv).</param>
/// <param name="Sinks">The mirrors, isolated from each other and from training.</param>
/// <param name="Provenance">The code that runs (git commit, dirty).</param>
/// <param name="Versions">Library and runtime versions, recorded in run.yaml.</param>
/// <param name="EvaluationBatchSize">Batch size of the clean measurements.</param>
public sealed record SweepContext(
    ResultsLayout Layout,
    DatasetCache Datasets,
    RunStore Store,
    SinkFanout Sinks,
    Provenance Provenance,
    IReadOnlyDictionary<string, string> Versions,
    int EvaluationBatchSize);
