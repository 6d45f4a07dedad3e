namespace Harness.Data;

/// <summary>
/// A family of synthetic fluorescence cell images whose classes differ only in one latent variable: the
/// number of puncta per cell, drawn independently for each cell from a Poisson distribution whose mean depends
/// on the class. Everything else (cell positions and sizes, brightness, nuclei, punctum brightness, blur, noise)
/// has the same distribution in every class.
/// </summary>
/// <param name="Name">Preset name used in specs: <c>snap29-like</c> or <c>snf7-like</c>.</param>
/// <param name="ClassNames">Class names, sorted ordinally; index = label.</param>
/// <param name="TwoColour">True: cytoplasm and puncta green, nuclei red. False: everything green, other channels zero.</param>
/// <param name="CellsPerImage">Cells in every image (fixed, so the latent total is a plain Poisson count).</param>
/// <param name="PunctaPerCell">Per class: the mean number of puncta per cell.</param>
/// <param name="PunctumMinBrightness">Smallest peak brightness of a punctum (before blur).</param>
/// <param name="PunctumMaxBrightness">Largest peak brightness of a punctum (before blur).</param>
/// <param name="PunctumSizeFraction">Gaussian sigma of a punctum as a fraction of the image side.</param>
public sealed record SyntheticPreset(
    string Name,
    IReadOnlyList<string> ClassNames,
    bool TwoColour,
    int CellsPerImage,
    IReadOnlyList<double> PunctaPerCell,
    double PunctumMinBrightness,
    double PunctumMaxBrightness,
    double PunctumSizeFraction = 0.006)
{
    /// <summary>
    /// A clear pattern (mirrors the SNAP29 experiment, human expert 93 %): two colours; control cells have
    /// 0.5 bright puncta on average, depleted (<c>snap29</c>) cells 3. Bayes-optimal accuracy about 0.98.
    /// The aggregates are clumps (Gaussian sigma 1.6 % of the image side, about 4 px at 256), large enough for
    /// the eight-pool <c>deep</c> network to pick up within the published nine epochs.
    /// </summary>
    public static SyntheticPreset Snap29Like { get; } = new("snap29-like", ["control", "snap29"], true, 4, [0.5, 3.0], 0.5, 0.9, 0.016);

    /// <summary>
    /// A weak pattern (mirrors the Snf7 experiment, human expert 71 %): one colour; faint puncta, 3 per cell on
    /// average in <c>control</c> and 4 in <c>snf7</c>. Bayes-optimal accuracy about 0.70.
    /// </summary>
    public static SyntheticPreset Snf7Like { get; } = new("snf7-like", ["control", "snf7"], false, 4, [3.0, 4.0], 0.10, 0.20);

    /// <summary>Every preset: a new one is a static property above and one entry here (and its row in the README's table of presets).</summary>
    public static IReadOnlyList<SyntheticPreset> All { get; } = [Snap29Like, Snf7Like];

    /// <summary>Every preset's name, in the order of <see cref="All"/> (the spec loader and <c>harness data synth</c> list these).</summary>
    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToArray();

    /// <summary>The preset with this name; an unknown name is an error that lists the known ones.</summary>
    public static SyntheticPreset Get(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"Unknown synthetic preset '{name}'; known presets: {string.Join(", ", Names)}.", nameof(name));

    /// <summary>Mean total puncta per image for each class (cells per image times puncta per cell).</summary>
    public IReadOnlyList<double> PunctaPerImage => PunctaPerCell.Select(m => m * CellsPerImage).ToArray();

    /// <summary>
    /// The Bayes-optimal accuracy with equal class priors, computed exactly (up to a truncated tail below 1e-15).
    /// </summary>
    /// <remarks>
    /// The class enters the generator only through the puncta counts. The count of each of the n cells is
    /// Poisson(λ_c), independent across cells, so the total K is Poisson(n λ_c), and K is a sufficient statistic
    /// of the counts for the class (the Poisson likelihood of the per-cell counts depends on them only through
    /// their sum). With equal priors the optimal rule picks argmax_c P(K = k | c), and its accuracy is
    /// (1 / C) Σ_k max_c P(K = k | c), summed here over k = 0 .. until every class's remaining tail is negligible,
    /// with the Poisson probabilities computed by the recurrence p(k) = p(k - 1) λ / k.
    /// Because the image is generated from the counts plus class-independent variables, no classifier of the
    /// image can do better than this; it reaches it when every punctum can be counted (bright, separated puncta;
    /// faint or overlapping puncta make the attainable accuracy lower).
    /// snap29-like: Poisson(2) vs Poisson(12) gives 0.9815; snf7-like: Poisson(12) vs Poisson(16) gives 0.7035.
    /// </remarks>
    public double BayesOptimalAccuracy()
    {
        var means = PunctaPerImage;
        var maxMean = means.Max();
        var kMax = (int)Math.Ceiling(maxMean + 12 * Math.Sqrt(maxMean + 1) + 30);
        var p = means.Select(m => Math.Exp(-m)).ToArray();
        var sum = 0.0;
        for (var k = 0; k <= kMax; k++)
        {
            if (k > 0)
            {
                for (var c = 0; c < p.Length; c++) p[c] *= means[c] / k;
            }
            sum += p.Max();
        }
        return sum / means.Count;
    }

    /// <summary>The class the Bayes-optimal rule picks for a total puncta count (ties go to the lower index).</summary>
    public int BayesDecision(int totalPuncta)
    {
        var best = 0;
        var bestLog = double.NegativeInfinity;
        for (var c = 0; c < PunctaPerCell.Count; c++)
        {
            var m = PunctaPerImage[c];
            var log = totalPuncta * Math.Log(m) - m;
            if (log > bestLog)
            {
                bestLog = log;
                best = c;
            }
        }
        return best;
    }
}
