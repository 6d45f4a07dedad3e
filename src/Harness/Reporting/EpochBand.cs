using MathNet.Numerics.Distributions;

namespace Harness.Reporting;

/// <summary>
/// The mean of a per-epoch measure across runs with a 95 % Student-t interval, mean ± t(0.975, n−1)·sd/√n
/// (NaN bounds when n &lt; 2).
/// </summary>
/// <param name="Epoch">Epoch (1-based).</param>
/// <param name="N">Runs with a value at this epoch.</param>
/// <param name="Mean">Mean across runs.</param>
/// <param name="Low">Lower bound.</param>
/// <param name="High">Upper bound.</param>
public sealed record EpochBand(int Epoch, int N, double Mean, double Low, double High)
{
    /// <summary>How the band is computed, in words.</summary>
    public const string Method = "95 % Student-t interval of the mean across runs (mean ± t·sd/√n)";

    /// <summary>The band at one epoch from the runs' values (NaN values are dropped).</summary>
    public static EpochBand Of(int epoch, IEnumerable<double> values, double level = 0.95)
    {
        var v = values.Where(x => !double.IsNaN(x)).ToArray();
        if (v.Length == 0) return new EpochBand(epoch, 0, double.NaN, double.NaN, double.NaN);
        double mean = v.Average();
        if (v.Length < 2) return new EpochBand(epoch, 1, mean, double.NaN, double.NaN);
        double sd = Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        double half = StudentT.InvCDF(0, 1, v.Length - 1, 1 - (1 - level) / 2) * sd / Math.Sqrt(v.Length);
        return new EpochBand(epoch, v.Length, mean, mean - half, mean + half);
    }
}
