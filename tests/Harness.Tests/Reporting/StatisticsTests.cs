using Harness.Reporting;
using MathNet.Numerics.Random;

namespace Harness.Tests.Reporting;

public class StatisticsTests
{
    private static readonly double[] X = [1, 2, 3, 4, 5], Y = [2, 4, 6, 8, 10];

    [Fact]
    public void Welch_t_test_matches_a_hand_calculation()
    {
        // mean x = 3, s²x = 2.5, s²x/nx = 0.5; mean y = 6, s²y = 10, s²y/ny = 2.
        // t = (3 − 6) / √2.5 = −1.897367; df = 2.5² / (0.5²/4 + 2²/4) = 6.25 / 1.0625 = 5.882353.
        // R: t.test(1:5, c(2,4,6,8,10)) gives t = -1.8974, df = 5.8824, p-value = 0.1075.
        var w = WelchTest.Compute(X, Y)!;
        Assert.Equal(-1.8973665961, w.T, 9);
        Assert.Equal(5.8823529412, w.DegreesOfFreedom, 9);
        Assert.Equal(0.1075, w.P, 3);
    }

    [Fact]
    public void Welch_t_test_is_undefined_with_one_run_or_no_variance()
    {
        Assert.Null(WelchTest.Compute([1.0], Y));
        Assert.Null(WelchTest.Compute([1.0, 1.0], [2.0, 2.0]));
    }

    [Fact]
    public void Mann_Whitney_exact_p_for_complete_separation_of_three_and_three()
    {
        // U = 0; of the C(6,3) = 20 equally likely arrangements one gives U = 0 and one U = 9: p = 2/20.
        var u = MannWhitneyTest.Compute([1.0, 2, 3], [4.0, 5, 6])!;
        Assert.Equal(0, u.U);
        Assert.True(u.Exact);
        Assert.Equal(0.1, u.P, 12);
    }

    [Fact]
    public void Mann_Whitney_exact_p_for_three_and_four()
    {
        // x = {1,2,4}, y = {3,5,6,7}: U = 1 (4 > 3). C(7,3) = 35 arrangements; U = 0 and U = 1 one each: p = 2·2/35.
        var u = MannWhitneyTest.Compute([1.0, 2, 4], [3.0, 5, 6, 7])!;
        Assert.Equal(1, u.U);
        Assert.Equal(4.0 / 35, u.P, 12);
    }

    [Fact]
    public void Mann_Whitney_distribution_counts_every_arrangement()
    {
        var f = MannWhitneyTest.Distribution(5, 7);
        Assert.Equal(792, f.Sum()); // C(12, 5)
        Assert.Equal(f, f.Reverse().ToArray()); // symmetric
    }

    [Fact]
    public void Mann_Whitney_with_ties_uses_the_corrected_normal_approximation()
    {
        // x = {1,2,2,3}, y = {2,4,5,6}: U = 0 + 0.5 + 0.5 + 1 = 2; mean 8; ties: three 2s, t³ − t = 24.
        // var = 16/12 · (9 − 24/56) = 11.428571; z = (6 − 0.5)/3.380617 = 1.626929; p = 2(1 − Φ(z)) = 0.1038.
        var u = MannWhitneyTest.Compute([1.0, 2, 2, 3], [2.0, 4, 5, 6])!;
        Assert.False(u.Exact);
        Assert.Equal(2, u.U);
        Assert.Equal(0.1038, u.P, 3);
    }

    [Fact]
    public void Cohens_d_uses_the_pooled_standard_deviation()
    {
        // SS x = 10, SS y = 40, pooled SD = √(50/8) = 2.5; d = (3 − 6)/2.5.
        Assert.Equal(-1.2, EffectSize.CohensD(X, Y), 12);
    }

    [Fact]
    public void Cliffs_delta_counts_dominant_pairs()
    {
        // x > y in 4 pairs, x < y in 19, two ties (2=2, 4=4): (4 − 19)/25.
        Assert.Equal(-0.6, EffectSize.CliffsDelta(X, Y), 12);
        Assert.Equal(1, EffectSize.CliffsDelta([4.0, 5, 6], [1.0, 2, 3]));
    }

    [Fact]
    public void Kaplan_Meier_on_a_small_censored_set()
    {
        // Events at 2, 3, 4; censored at 3 and 5. S(2) = 4/5, S(3) = 0.8·3/4 = 0.6, S(4) = 0.6·1/2 = 0.3.
        var km = KaplanMeier.Estimate([(2, true), (3, true), (3, false), (4, true), (5, false)]);
        Assert.Equal([0.8, 0.6, 0.3, 0.3], km.Steps.Select(s => Math.Round(s.Survival, 12)));
        Assert.Equal([5, 4, 2, 1], km.Steps.Select(s => s.AtRisk));
        Assert.Equal(4, km.Median);
        Assert.Equal(3, km.Events);
        Assert.Equal(1.0, km.SurvivalAt(1));
    }

    [Fact]
    public void Kaplan_Meier_has_no_median_when_most_runs_never_memorize()
    {
        var km = KaplanMeier.Estimate([(2, true), (9, false), (9, false)]);
        Assert.Null(km.Median);
    }

    [Fact]
    public void Epoch_band_is_a_student_t_interval()
    {
        // mean 2, sd 1, t(0.975, 2) = 4.302653; half width 4.302653/√3 = 2.484138.
        var band = EpochBand.Of(1, [1.0, 2, 3]);
        Assert.Equal(2 - 2.484138, band.Low, 5);
        Assert.Equal(2 + 2.484138, band.High, 5);
        Assert.True(double.IsNaN(EpochBand.Of(1, [0.5]).Low));
    }

    [Fact]
    public void Summary_of_one_run_has_no_spread_and_no_interval()
    {
        var s = Summary.Of([0.7], 1000, 0);
        Assert.Equal(1, s.N);
        Assert.Equal(0.7, s.Mean);
        Assert.True(double.IsNaN(s.Sd));
        Assert.Null(s.Ci);
        Assert.Contains("n = 1", s.Method);
    }

    [Fact]
    public void Summary_describes_a_sample()
    {
        var s = Summary.Of([3.0, 1, 2, 5, 4], 2000, 0);
        Assert.Equal(3, s.Mean, 12);
        Assert.Equal(Math.Sqrt(2.5), s.Sd, 12);
        Assert.Equal(3, s.Median);
        Assert.Equal(1, s.Min);
        Assert.Equal(5, s.Max);
        Assert.True(s.Ci!.Low < 3 && s.Ci.High > 3);
    }

    [Fact]
    public void Bootstrap_is_reproducible_from_its_seed()
    {
        double[] v = [0.6, 0.62, 0.58, 0.65, 0.61];
        Assert.Equal(Bootstrap.MeanInterval(v, 1000, 7), Bootstrap.MeanInterval(v, 1000, 7));
        Assert.NotEqual(Bootstrap.MeanInterval(v, 1000, 7), Bootstrap.MeanInterval(v, 1000, 8));
    }

    [Fact]
    public void Bootstrap_interval_of_the_mean_covers_the_true_mean_about_95_percent_of_the_time()
    {
        var random = new Xoshiro256StarStar(42);
        int covered = 0, trials = 200;
        for (int t = 0; t < trials; t++)
        {
            var sample = Enumerable.Range(0, 20).Select(_ => MathNet.Numerics.Distributions.Normal.Sample(random, 0, 1)).ToArray();
            if (Bootstrap.MeanInterval(sample, 1000, t)!.Contains(0)) covered++;
        }
        // Percentile intervals undercover slightly at n = 20 (about 93 %); 200 trials give an SD of about 2 %.
        Assert.InRange(covered / (double)trials, 0.86, 0.99);
    }

    [Fact]
    public void Bootstrap_difference_interval_brackets_a_clear_difference()
    {
        var ci = Bootstrap.DifferenceOfMeansInterval([0.9, 0.92, 0.94, 0.95], [0.6, 0.61, 0.63, 0.62], 2000, 0)!;
        Assert.True(ci.Low > 0.25 && ci.High < 0.36);
        Assert.Null(Bootstrap.DifferenceOfMeansInterval([0.9], [0.6, 0.7], 100, 0));
    }

    [Fact]
    public void A_published_value_just_outside_an_interval_that_prints_as_including_it_is_given_the_bound()
    {
        var ci = new ConfidenceInterval(0.985, 0.99963, 0.95, "percentile bootstrap");
        // Both the bound and the published 100 % print as "100.0 %": the word says where the interval ends.
        Assert.Equal("no (the interval ends at 99.963 %)", ci.InsideWord(1.0, ExperimentAnalysis.Percent));
        Assert.Equal("no", ci.InsideWord(0.95, ExperimentAnalysis.Percent));
        Assert.Equal("yes", ci.InsideWord(0.99, ExperimentAnalysis.Percent));
        Assert.Equal("yes", ci.InsideWord(0.99963, ExperimentAnalysis.Percent));
        Assert.Null(ci.BoundBeyond(0.95, ExperimentAnalysis.Percent));
        Assert.Equal("98.500 %", new ConfidenceInterval(0.985, 0.99, 0.95, "").BoundBeyond(0.9849, ExperimentAnalysis.Percent));
        Assert.Equal("2.950", new ConfidenceInterval(2.0, 2.95, 0.95, "").BoundBeyond(2.96, v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
