using System.Globalization;

namespace Harness.Data;

/// <summary>
/// Scales a prepared data set with statistics of its training side only, per channel, so that networks whose
/// inputs are dim (12-bit fluorescence / 4095: mean 0.04) still pass a signal through a deep ReLU stack:
/// <list type="bullet">
/// <item><c>stretch</c>: the training set's <see cref="LowPercentile"/>th-<see cref="HighPercentile"/>th percentile
/// (over every pixel of every training image of the channel, never per image, which would erase differences in total
/// intensity such as DNA content) maps to [0, 1], values outside are clipped: the 8-bit contrast stretch of the
/// published workflow.</item>
/// <item><c>standardize</c>: minus the training set's mean, divided by its SD (PyTorch's <c>transforms.Normalize</c>).</item>
/// <item><c>none</c>: the images as rescaled.</item>
/// </list>
/// The same affine map, from the training statistics, applies to every test set (test images never inform it). The
/// statistics are written to the data set's notes (run.yaml): <c>normalize</c>, <c>normalize_offset</c> and
/// <c>normalize_scale</c> (per channel, comma-separated: x' = (x - offset) / scale), and for <c>stretch</c> the percentiles.
/// </summary>
public static class InputNormalization
{
    /// <summary>The modes a spec may name in <c>image.normalize</c>.</summary>
    public static readonly IReadOnlyList<string> Modes = ["none", "stretch", "standardize"];

    /// <summary>
    /// The mode of a spec that does not say: <c>standardize</c>. Measured in this project (README, "Input scaling"): with
    /// Keras's initialization, standardized inputs let the deep networks train where the rescaled inputs (<c>none</c>) and
    /// the published workflow's 8-bit stretch (<c>stretch</c>) left runs stuck at chance or collapsing.
    /// </summary>
    public const string Default = "standardize";

    /// <summary>Lower percentile of <c>stretch</c>.</summary>
    public const double LowPercentile = 0.5;

    /// <summary>Upper percentile of <c>stretch</c>.</summary>
    public const double HighPercentile = 99.5;

    /// <summary>Histogram bins per channel for the percentiles (the value is interpolated inside its bin).</summary>
    private const int Bins = 1 << 16;

    /// <summary>
    /// The per-channel affine map x' = (x - Offset[c]) / Scale[c] of <paramref name="mode"/>, computed on
    /// <paramref name="train"/>, with the notes that describe it. A channel without spread (constant images) keeps
    /// scale 1, and the notes say so.
    /// </summary>
    public static (double[] Offset, double[] Scale, IReadOnlyDictionary<string, string> Notes) Fit(LabeledImages train, string mode)
    {
        if (!Modes.Contains(mode)) throw new ArgumentException($"image.normalize: '{mode}' is not one of: {string.Join(", ", Modes)}");
        int channels = train.Channels;
        var offset = new double[channels];
        var scale = Enumerable.Repeat(1.0, channels).ToArray();
        var notes = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["normalize"] = mode };
        if (mode == "none") return (offset, scale, notes);
        if (train.Count == 0) throw new DataException($"image.normalize: {mode} needs training images to compute its statistics, and the training set is empty.");
        var flat = new List<int>();
        var lows = new double[channels];
        var highs = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            if (mode == "standardize")
            {
                var (mean, sd) = MeanAndSd(train, c);
                offset[c] = mean;
                if (sd > 1e-12) scale[c] = sd; else flat.Add(c);
            }
            else
            {
                var (low, high) = Percentiles(train, c, LowPercentile, HighPercentile);
                (lows[c], highs[c]) = (low, high);
                offset[c] = low;
                if (high - low > 1e-12) scale[c] = high - low; else flat.Add(c);
            }
        }
        notes["normalize_offset"] = Join(offset);
        notes["normalize_scale"] = Join(scale);
        if (mode == "stretch")
        {
            notes["normalize_percentiles"] = FormattableString.Invariant($"{LowPercentile},{HighPercentile}");
            notes["normalize_low"] = Join(lows);
            notes["normalize_high"] = Join(highs);
        }
        if (flat.Count > 0)
            notes["normalize_warning"] = $"channel(s) {string.Join(",", flat)} have no spread in the training images (constant): left unscaled";
        return (offset, scale, notes);
    }

    /// <summary>
    /// <paramref name="data"/> with every image (training and tests) mapped by the statistics of its training side,
    /// and the statistics added to its notes; the data set itself when <paramref name="mode"/> is <c>none</c>.
    /// </summary>
    public static PreparedDataset Apply(PreparedDataset data, string mode)
    {
        var (offset, scale, fitted) = Fit(data.Train, mode);
        var notes = new SortedDictionary<string, string>(data.Notes.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (k, v) in fitted) notes[k] = v;
        if (mode == "none") return data with { Notes = notes };
        bool clip = mode == "stretch";
        return data with
        {
            Train = Map(data.Train, offset, scale, clip),
            Tests = data.Tests.Select(t => t with { Images = Map(t.Images, offset, scale, clip) }).ToArray(),
            Notes = notes,
        };
    }

    /// <summary>A copy of <paramref name="images"/> with x' = (x - offset) / scale per channel, clipped to [0, 1] when asked.</summary>
    public static LabeledImages Map(LabeledImages images, IReadOnlyList<double> offset, IReadOnlyList<double> scale, bool clip)
    {
        if (images.Channels != offset.Count)
            throw new DataException($"image.normalize: a test set has {images.Channels} channel(s) and the training set {offset.Count}.");
        var pixels = new float[images.Pixels.Length];
        int plane = images.Height * images.Width;
        Parallel.For(0, images.Count, i =>
        {
            for (int c = 0; c < images.Channels; c++)
            {
                int start = (i * images.Channels + c) * plane;
                double o = offset[c], inv = 1.0 / scale[c];
                for (int p = start; p < start + plane; p++)
                {
                    double v = (images.Pixels[p] - o) * inv;
                    pixels[p] = (float)(clip ? Math.Clamp(v, 0.0, 1.0) : v);
                }
            }
        });
        return images with { Pixels = pixels };
    }

    /// <summary>Mean and population SD of channel <paramref name="channel"/> over every pixel of every image.</summary>
    public static (double Mean, double Sd) MeanAndSd(LabeledImages images, int channel)
    {
        int plane = images.Height * images.Width;
        double sum = 0;
        for (int i = 0; i < images.Count; i++)
        {
            int start = (i * images.Channels + channel) * plane;
            for (int p = start; p < start + plane; p++) sum += images.Pixels[p];
        }
        double n = (double)images.Count * plane;
        double mean = sum / n;
        // A second, centred pass: sum(x^2)/n - mean^2 cancels badly for dim images with small spread.
        double centred = 0;
        for (int i = 0; i < images.Count; i++)
        {
            int start = (i * images.Channels + channel) * plane;
            for (int p = start; p < start + plane; p++) { double d = images.Pixels[p] - mean; centred += d * d; }
        }
        return (mean, Math.Sqrt(centred / n));
    }

    /// <summary>
    /// The <paramref name="low"/>th and <paramref name="high"/>th percentiles (0-100) of channel <paramref name="channel"/>
    /// over every pixel of every image (see <see cref="Percentiles(IReadOnlyList{ReadOnlyMemory{float}}, double, double)"/>).
    /// </summary>
    public static (double Low, double High) Percentiles(LabeledImages images, int channel, double low, double high)
    {
        int plane = images.Height * images.Width;
        var planes = Enumerable.Range(0, images.Count)
            .Select(i => new ReadOnlyMemory<float>(images.Pixels, (i * images.Channels + channel) * plane, plane)).ToArray();
        return Percentiles(planes, low, high);
    }

    /// <summary>
    /// The <paramref name="low"/>th and <paramref name="high"/>th percentiles (0-100) of every value in
    /// <paramref name="planes"/>, from a 65,536-bin histogram between their minimum and maximum, with linear
    /// interpolation inside a bin (exact to 1/65,536 of the range).
    /// </summary>
    public static (double Low, double High) Percentiles(IReadOnlyList<ReadOnlyMemory<float>> planes, double low, double high)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        long n = 0;
        foreach (var plane in planes)
        {
            foreach (var v in plane.Span) { if (v < min) min = v; if (v > max) max = v; }
            n += plane.Length;
        }
        if (!(max > min)) return (min, max);
        var counts = new long[Bins];
        double width = ((double)max - min) / Bins;
        foreach (var plane in planes)
            foreach (var v in plane.Span)
                counts[Math.Min(Bins - 1, (int)((v - (double)min) / width))]++;
        return (At(low), At(high));

        double At(double percent)
        {
            double rank = percent / 100.0 * n;
            long seen = 0;
            for (int b = 0; b < Bins; b++)
            {
                if (counts[b] > 0 && seen + counts[b] >= rank)
                    return min + width * (b + Math.Clamp((rank - seen) / counts[b], 0, 1));
                seen += counts[b];
            }
            return max;
        }
    }

    private static string Join(IEnumerable<double> values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
}
