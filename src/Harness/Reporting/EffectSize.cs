namespace Harness.Reporting;

/// <summary>Standardized differences between two samples.</summary>
public static class EffectSize
{
    /// <summary>
    /// Cohen's d with the pooled standard deviation, (mean x − mean y) / sqrt(((nx−1)sx² + (ny−1)sy²) / (nx+ny−2));
    /// NaN when a sample has fewer than two values or the pooled SD is zero.
    /// </summary>
    public static double CohensD(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2 || y.Count < 2) return double.NaN;
        double mx = x.Average(), my = y.Average();
        double ssx = x.Sum(v => (v - mx) * (v - mx)), ssy = y.Sum(v => (v - my) * (v - my));
        double pooled = Math.Sqrt((ssx + ssy) / (x.Count + y.Count - 2));
        return pooled > 0 ? (mx - my) / pooled : double.NaN;
    }

    /// <summary>Cliff's delta, (#(x &gt; y) − #(x &lt; y)) / (nx·ny), in [−1, 1]; NaN when a sample is empty.</summary>
    public static double CliffsDelta(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count == 0 || y.Count == 0) return double.NaN;
        long more = 0, less = 0;
        foreach (var a in x)
            foreach (var b in y)
            {
                if (a > b) more++;
                else if (a < b) less++;
            }
        return (double)(more - less) / (x.Count * (long)y.Count);
    }
}
