using MathNet.Numerics.Distributions;

namespace Harness.Reporting;

/// <summary>
/// Mann–Whitney U (Wilcoxon rank-sum) test, two-sided. Exact p from the permutation distribution of U when
/// both samples have at most <see cref="ExactLimit"/> values and there are no ties; otherwise the normal
/// approximation with tie correction and continuity correction.
/// </summary>
/// <param name="U">U of the first sample: pairs (x, y) with x &gt; y, ties counted one half.</param>
/// <param name="P">Two-sided p value.</param>
/// <param name="Exact">Whether <see cref="P"/> is exact.</param>
public sealed record MannWhitneyTest(double U, double P, bool Exact)
{
    /// <summary>Largest sample size for which the exact distribution is used.</summary>
    public const int ExactLimit = 10;

    /// <summary>How the p value was obtained, in words.</summary>
    public string Method => Exact ? "exact" : "normal approximation, tie and continuity corrected";

    /// <summary>The test, or null when a sample has fewer than two values.</summary>
    public static MannWhitneyTest? Compute(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        int n1 = x.Count, n2 = y.Count;
        if (n1 < 2 || n2 < 2) return null;
        double u = 0;
        foreach (var a in x)
            foreach (var b in y)
                u += a > b ? 1 : a == b ? 0.5 : 0;

        // Tie groups in the pooled sample.
        var ties = x.Concat(y).GroupBy(v => v).Select(g => (double)g.Count()).Where(c => c > 1).ToArray();
        if (ties.Length == 0 && n1 <= ExactLimit && n2 <= ExactLimit)
        {
            var counts = Distribution(n1, n2);
            double total = counts.Sum();
            double small = Math.Min(u, n1 * n2 - u);
            double tail = 0;
            for (int k = 0; k <= (int)Math.Floor(small); k++) tail += counts[k];
            return new MannWhitneyTest(u, Math.Min(1, 2 * tail / total), true);
        }

        double n = n1 + n2;
        double mean = n1 * n2 / 2.0;
        double tieTerm = ties.Sum(t => t * t * t - t);
        double variance = n1 * n2 / 12.0 * (n + 1 - tieTerm / (n * (n - 1)));
        if (variance <= 0) return new MannWhitneyTest(u, 1, false);
        double z = (Math.Abs(u - mean) - 0.5) / Math.Sqrt(variance);
        double p = z <= 0 ? 1 : 2 * Normal.CDF(0, 1, -z);
        return new MannWhitneyTest(u, Math.Min(1, p), false);
    }

    /// <summary>
    /// Number of arrangements giving each U = 0..n1·n2, by the recursion f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u)
    /// (the largest observation belongs to the first sample, or to the second).
    /// </summary>
    internal static double[] Distribution(int n1, int n2)
    {
        // table[m][n] = distribution for sizes m, n; built up in m and n.
        var table = new double[n1 + 1, n2 + 1][];
        for (int m = 0; m <= n1; m++)
            for (int n = 0; n <= n2; n++)
            {
                var f = new double[m * n + 1];
                if (m == 0 || n == 0) f[0] = 1;
                else
                {
                    var a = table[m - 1, n];
                    var b = table[m, n - 1];
                    for (int k = 0; k < f.Length; k++)
                        f[k] = (k - n >= 0 && k - n < a.Length ? a[k - n] : 0) + (k < b.Length ? b[k] : 0);
                }
                table[m, n] = f;
            }
        return table[n1, n2];
    }
}
