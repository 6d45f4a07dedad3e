using MathNet.Numerics.Random;

namespace Harness.Reporting;

/// <summary>
/// Seeded percentile bootstrap. Every call starts its own generator from the given seed, so an interval does
/// not depend on which other intervals were computed before it.
/// </summary>
public static class Bootstrap
{
    /// <summary>Percentile interval of a statistic of one sample; null when the sample has fewer than two values.</summary>
    public static ConfidenceInterval? Interval(IReadOnlyList<double> values, Func<double[], double> statistic,
        int resamples, int seed, double level = 0.95)
    {
        if (values.Count < 2) return null;
        var random = new Xoshiro256StarStar(seed);
        var sample = new double[values.Count];
        var estimates = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            for (int i = 0; i < sample.Length; i++) sample[i] = values[random.Next(values.Count)];
            estimates[r] = statistic(sample);
        }
        return Percentiles(estimates, level, resamples, seed);
    }

    /// <summary>Percentile interval of the mean.</summary>
    public static ConfidenceInterval? MeanInterval(IReadOnlyList<double> values, int resamples, int seed, double level = 0.95) =>
        Interval(values, Mean, resamples, seed, level);

    /// <summary>
    /// Percentile interval of mean(x) − mean(y), each sample resampled separately; null when either sample has
    /// fewer than two values.
    /// </summary>
    public static ConfidenceInterval? DifferenceOfMeansInterval(IReadOnlyList<double> x, IReadOnlyList<double> y,
        int resamples, int seed, double level = 0.95)
    {
        if (x.Count < 2 || y.Count < 2) return null;
        var random = new Xoshiro256StarStar(seed);
        var estimates = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sx = 0, sy = 0;
            for (int i = 0; i < x.Count; i++) sx += x[random.Next(x.Count)];
            for (int i = 0; i < y.Count; i++) sy += y[random.Next(y.Count)];
            estimates[r] = sx / x.Count - sy / y.Count;
        }
        return Percentiles(estimates, level, resamples, seed);
    }

    /// <summary>How the intervals here are described in reports.</summary>
    public static string Describe(int resamples, int seed) =>
        $"percentile bootstrap, {resamples} resamples, seed {seed}";

    private static double Mean(double[] values)
    {
        double sum = 0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    private static ConfidenceInterval Percentiles(double[] estimates, double level, int resamples, int seed)
    {
        Array.Sort(estimates);
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(Quantile(estimates, alpha), Quantile(estimates, 1 - alpha), level, Describe(resamples, seed));
    }

    /// <summary>Linear-interpolation quantile of sorted values (R type 7).</summary>
    internal static double Quantile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        double h = (sorted.Count - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
