namespace Harness.Tracking.Mlflow;

/// <summary>An MLflow run as the server describes it (fields the server omitted are null or empty).</summary>
/// <param name="RunId">MLflow's run id.</param>
/// <param name="ExperimentId">Experiment id.</param>
/// <param name="RunName">Run name.</param>
/// <param name="Status">RUNNING, SCHEDULED, FINISHED, FAILED or KILLED.</param>
/// <param name="LifecycleStage"><c>active</c> or <c>deleted</c>.</param>
/// <param name="StartTime">Start, ms since the Unix epoch.</param>
/// <param name="EndTime">End, ms since the Unix epoch.</param>
/// <param name="Params">Logged params.</param>
/// <param name="Tags">Tags.</param>
/// <param name="LatestMetrics">Latest point of each metric key (a key absent here has no history at all).</param>
/// <param name="Datasets">The run's dataset inputs (<c>inputs.dataset_inputs</c>; empty when the server sent none).</param>
public sealed record MlflowRun(
    string RunId,
    string ExperimentId,
    string? RunName,
    string? Status,
    string? LifecycleStage,
    long? StartTime,
    long? EndTime,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, MlflowMetric> LatestMetrics,
    IReadOnlyList<MlflowDataset>? Datasets = null);
