namespace Harness.Reporting;

/// <summary>
/// One measure compared between two groups of runs (A − B). Parts that need at least two runs per group are
/// null (or NaN) when a group has fewer.
/// </summary>
/// <param name="Measure">Per-run measure name, e.g. <c>final_test_accuracy</c>.</param>
/// <param name="GroupA">First group's key.</param>
/// <param name="GroupB">Second group's key.</param>
/// <param name="NA">Runs in A.</param>
/// <param name="NB">Runs in B.</param>
/// <param name="Difference">mean(A) − mean(B).</param>
/// <param name="DifferenceCi">Bootstrap interval of the difference.</param>
/// <param name="Welch">Welch's t-test.</param>
/// <param name="MannWhitney">Mann–Whitney U test.</param>
/// <param name="CohensD">Cohen's d (pooled SD).</param>
/// <param name="CliffsDelta">Cliff's delta.</param>
/// <param name="Runs">Which finished runs of each group were compared: all, or those that learned.</param>
public sealed record ConditionComparison(
    string Measure, string GroupA, string GroupB, int NA, int NB, double Difference,
    ConfidenceInterval? DifferenceCi, WelchTest? Welch, MannWhitneyTest? MannWhitney, double CohensD, double CliffsDelta,
    RunSet Runs = RunSet.All)
{
    /// <summary>Compares two samples of a measure.</summary>
    public static ConditionComparison Of(string measure, string groupA, IReadOnlyList<double> a, string groupB,
        IReadOnlyList<double> b, int resamples, int seed, RunSet runs = RunSet.All)
    {
        double diff = a.Count > 0 && b.Count > 0 ? a.Average() - b.Average() : double.NaN;
        return new ConditionComparison(measure, groupA, groupB, a.Count, b.Count, diff,
            Bootstrap.DifferenceOfMeansInterval(a, b, resamples, seed),
            WelchTest.Compute(a, b), MannWhitneyTest.Compute(a, b),
            EffectSize.CohensD(a, b), EffectSize.CliffsDelta(a, b), runs);
    }
}
