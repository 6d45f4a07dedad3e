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

    /// <summary>
    /// The bound a value outside the interval lies beyond, written precisely enough to show that it is outside when
    /// <paramref name="show"/> would print the bound and the value alike (a bound of 99.96 % and a published 100 %
    /// both print "100.0 %"); null when the value is inside or the two already print differently.
    /// </summary>
    public string? BoundBeyond(double value, Func<double, string> show)
    {
        if (Contains(value) || double.IsNaN(value)) return null;
        double bound = value < Low ? Low : High;
        if (show(bound) != show(value)) return null;
        string shown = show(value);
        return shown.EndsWith(" %", StringComparison.Ordinal)
            ? (bound * 100).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " %"
            : bound.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>"yes" or "no" for a published value against this interval; "no" names the bound (<see cref="BoundBeyond"/>) where the printed interval would seem to include it.</summary>
    public string InsideWord(double value, Func<double, string> show) =>
        Contains(value) ? "yes" : BoundBeyond(value, show) is { } b ? $"no (the interval ends at {b})" : "no";
}
