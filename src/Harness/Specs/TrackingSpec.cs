namespace Harness.Specs;

/// <summary>Tracking options; the CSV files are always written.</summary>
/// <param name="Mlflow">MLflow mirror; null when off.</param>
public sealed record TrackingSpec(MlflowSpec? Mlflow);
