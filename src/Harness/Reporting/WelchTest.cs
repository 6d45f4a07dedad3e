using MathNet.Numerics.Distributions;

namespace Harness.Reporting;

/// <summary>Welch's unequal-variance t-test of mean(x) = mean(y), two-sided.</summary>
/// <param name="T">t statistic, (mean x − mean y) / sqrt(sx²/nx + sy²/ny).</param>
/// <param name="DegreesOfFreedom">Welch–Satterthwaite degrees of freedom.</param>
/// <param name="P">Two-sided p value from Student's t distribution.</param>
public sealed record WelchTest(double T, double DegreesOfFreedom, double P)
{
    /// <summary>The test, or null when it is undefined (a sample with fewer than two values, or no variance in either).</summary>
    public static WelchTest? Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2 || y.Count < 2) return null;
        double mx = x.Average(), my = y.Average();
        double vx = x.Sum(v => (v - mx) * (v - mx)) / (x.Count - 1) / x.Count;
        double vy = y.Sum(v => (v - my) * (v - my)) / (y.Count - 1) / y.Count;
        double se2 = vx + vy;
        if (se2 <= 0) return null;
        double t = (mx - my) / Math.Sqrt(se2);
        double df = se2 * se2 / (vx * vx / (x.Count - 1) + vy * vy / (y.Count - 1));
        double p = 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));
        return new WelchTest(t, df, Math.Min(1, p));
    }
}
