namespace Harness.Reporting;

/// <summary>A two-sided confidence interval and how it was obtained.</summary>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
/// <param name="Level">Coverage, e.g. 0.95.</param>
/// <param name="Method">How it was computed, in words (e.g. <c>percentile bootstrap, 10000 resamples, seed 0</c>).</param>
public sealed record ConfidenceInterval(double Low, double High, double Level, string Method)
{
    /// <summary>Whether <paramref name="value"/> lies inside the interval (bounds included).</summary>
    public bool Contains(double value) => value >= Low && value <= High;
}
