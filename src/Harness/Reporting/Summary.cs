namespace Harness.Reporting;

/// <summary>
/// Descriptive statistics of one measure across seeds. With one value there is no spread and no interval
/// (<see cref="Sd"/> and <see cref="Ci"/> are NaN / null); with none, every number is NaN.
/// </summary>
/// <param name="N">Number of values (runs).</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Sd">Sample standard deviation (n − 1); NaN when n &lt; 2.</param>
/// <param name="Median">Median.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Ci">95 % interval of the mean, or null when it cannot be estimated.</param>
/// <param name="Method">How <see cref="Ci"/> was obtained, or why there is none.</param>
public sealed record Summary(int N, double Mean, double Sd, double Median, double Min, double Max, ConfidenceInterval? Ci, string Method)
{
    /// <summary>Summarizes values (NaN values are dropped) with a seeded percentile-bootstrap interval of the mean.</summary>
    public static Summary Of(IEnumerable<double> values, int resamples, int seed, double level = 0.95)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToArray();
        if (v.Length == 0) return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, null, "no values");
        double mean = v.Average();
        double sd = v.Length < 2 ? double.NaN : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        var ci = Bootstrap.MeanInterval(v, resamples, seed, level);
        return new Summary(v.Length, mean, sd, Bootstrap.Quantile(v, 0.5), v[0], v[^1], ci,
            ci?.Method ?? "n = 1: no interval");
    }
}
