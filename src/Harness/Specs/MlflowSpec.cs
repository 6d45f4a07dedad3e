namespace Harness.Specs;

/// <summary>MLflow mirror settings. The URI falls back to <c>MLFLOW_TRACKING_URI</c>; with neither, MLflow is off.</summary>
/// <param name="Enabled">Whether to mirror runs to MLflow.</param>
/// <param name="TrackingUri">Server URI, e.g. <c>http://127.0.0.1:5000</c>.</param>
/// <param name="ExperimentName">MLflow experiment name; defaults to the spec name (or <c>MLFLOW_EXPERIMENT_NAME</c>).</param>
public sealed record MlflowSpec(bool Enabled, string? TrackingUri, string? ExperimentName);
