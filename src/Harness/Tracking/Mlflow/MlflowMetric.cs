namespace Harness.Tracking.Mlflow;

/// <summary>One metric point as MLflow stores it.</summary>
/// <param name="Key">Metric key (a <see cref="MetricColumns"/> name for per-epoch measures).</param>
/// <param name="Value">Value; NaN and infinities are sent as the JSON strings MLflow expects.</param>
/// <param name="Timestamp">Milliseconds since the Unix epoch.</param>
/// <param name="Step">Step; the harness uses the epoch.</param>
public sealed record MlflowMetric(string Key, double Value, long Timestamp, long Step)
{
    /// <summary>
    /// Whether a point read back from the server is this point: same key, step and timestamp, and the same value,
    /// where NaN equals NaN and +Infinity equals the largest double (SQLite stores it so).
    /// </summary>
    public bool SameAs(MlflowMetric stored) =>
        Key == stored.Key && Step == stored.Step && Timestamp == stored.Timestamp && SameValue(Value, stored.Value);

    private static bool SameValue(double a, double b) =>
        a.Equals(b) || (double.IsNaN(a) && double.IsNaN(b))
        || (double.IsPositiveInfinity(a) && b == double.MaxValue) || (double.IsNegativeInfinity(a) && b == double.MinValue);
}
