using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// The training set one seed sees: an optional stratified subset (<c>train_subset</c>, the published "one batch
/// of 400") and an optional memorization control (Zhang et al. 2017), both drawn from generators seeded by the
/// run's seed, so each seed gets its own subset and its own corruption. Test sets are never altered.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>train_subset: N</c> takes N images without replacement; each class gets its share of N in
/// proportion to its size (largest remainders break ties), drawn uniformly within the class. N larger than
/// the training set is an error.</item>
/// <item><c>random_labels</c>: every label replaced by a class drawn uniformly from all classes.</item>
/// <item><c>corrupt_labels</c> with fraction p: exactly round(p N) images, chosen uniformly without replacement,
/// get a label drawn uniformly from the OTHER classes, so p is exactly the fraction of wrong labels (Zhang et al.
/// drew from all classes, so their p overstated the wrong fraction by C / (C - 1)).</item>
/// <item><c>shuffled_pixels</c>: one permutation of pixel positions, drawn once per seed, applied to every
/// image; channels move together.</item>
/// <item><c>random_pixels</c>: a different permutation per image; channels move together.</item>
/// <item><c>gaussian_noise</c>: every image replaced by independent Gaussian noise with the (subset) training
/// data's per-channel mean and standard deviation, clamped to [0, 1] (so the variance is slightly lower where
/// the clamp bites); labels kept.</item>
/// </list>
/// </remarks>
public static class TrainingSetView
{
    /// <summary>The controls a spec can name, each with what it does (the remarks above say how).</summary>
    internal static IReadOnlyList<TrainingControl> Controls { get; } =
    [
        new("random_labels", (train, _, classes, rng) => train with { Labels = train.Labels.Select(_ => rng.NextInt(classes)).ToArray() }),
        new("corrupt_labels", (train, fraction, classes, rng) => train with { Labels = CorruptLabels(train.Labels, fraction, classes, rng) }, TakesFraction: true),
        new("shuffled_pixels", (train, _, _, rng) => Permute(train, rng, perImage: false)),
        new("random_pixels", (train, _, _, rng) => Permute(train, rng, perImage: true)),
        new("gaussian_noise", (train, _, _, rng) => GaussianNoise(train, rng)),
    ];

    /// <summary>Every control's name, in the order of <see cref="Controls"/>.</summary>
    public static IReadOnlyList<string> ControlNames => Controls.Select(c => c.Name).ToArray();

    /// <summary>The training images seed <paramref name="seed"/> trains on.</summary>
    public static LabeledImages ForSeed(PreparedDataset data, int? trainSubset, ControlSpec? control, int seed)
    {
        var train = data.Train;
        if (trainSubset is { } n)
        {
            var generator = new SeededGenerator(SeededGenerator.Mix((ulong)(uint)seed, SeededGenerator.StableHash("train_subset")));
            train = LabeledImagesSelection.Select(train, StratifiedSubset(train.Labels, n, generator));
        }
        if (control is null) return train;
        var kind = Controls.FirstOrDefault(c => c.Name == control.Kind)
            ?? throw new ArgumentException($"Unknown control '{control.Kind}'; use one of {string.Join(", ", ControlNames)}.");
        var rng = new SeededGenerator(SeededGenerator.Mix((ulong)(uint)seed, SeededGenerator.StableHash(control.Kind)));
        var classes = Math.Max(data.ClassNames.Count, train.Labels.DefaultIfEmpty(-1).Max() + 1);
        return kind.Apply(train, control.Fraction, classes, rng);
    }

    /// <summary>Indices of a stratified subset of size n (ascending).</summary>
    private static int[] StratifiedSubset(int[] labels, int n, SeededGenerator rng)
    {
        if (n < 0 || n > labels.Length)
            throw new ArgumentOutOfRangeException(nameof(n), n, $"train_subset must lie between 0 and the training set size ({labels.Length}).");
        var byClass = labels.Select((label, index) => (label, index)).GroupBy(p => p.label).OrderBy(g => g.Key)
            .Select(g => g.Select(p => p.index).ToArray()).ToArray();
        var exact = byClass.Select(g => (double)n * g.Length / labels.Length).ToArray();
        var quota = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var remainder = n - quota.Sum();
        foreach (var c in Enumerable.Range(0, byClass.Length).OrderByDescending(c => exact[c] - quota[c]).ThenBy(c => c).Take(remainder)) quota[c]++;
        var chosen = new List<int>(n);
        for (var c = 0; c < byClass.Length; c++)
        {
            var members = byClass[c];
            rng.Shuffle(members.AsSpan());
            chosen.AddRange(members.Take(quota[c]));
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    private static int[] CorruptLabels(int[] labels, double fraction, int classes, SeededGenerator rng)
    {
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "corrupt_labels needs a fraction in [0, 1].");
        if (classes < 2) throw new ArgumentException("corrupt_labels needs at least two classes.");
        var result = labels.ToArray();
        var order = rng.Permutation(labels.Length);
        var count = (int)Math.Round(fraction * labels.Length, MidpointRounding.AwayFromZero);
        foreach (var i in order.Take(count))
        {
            var other = rng.NextInt(classes - 1);
            result[i] = other >= labels[i] ? other + 1 : other;
        }
        return result;
    }

    private static LabeledImages Permute(LabeledImages train, SeededGenerator rng, bool perImage)
    {
        var plane = train.Height * train.Width;
        var pixels = new float[train.Pixels.Length];
        var permutation = perImage ? null : rng.Permutation(plane);
        for (var n = 0; n < train.Count; n++)
        {
            var p = permutation ?? rng.Permutation(plane);
            for (var c = 0; c < train.Channels; c++)
            {
                var offset = (n * train.Channels + c) * plane;
                var src = train.Pixels.AsSpan(offset, plane);
                var dst = pixels.AsSpan(offset, plane);
                for (var i = 0; i < plane; i++) dst[i] = src[p[i]];
            }
        }
        return train with { Pixels = pixels };
    }

    private static LabeledImages GaussianNoise(LabeledImages train, SeededGenerator rng)
    {
        var plane = train.Height * train.Width;
        var mean = new double[train.Channels];
        var std = new double[train.Channels];
        for (var c = 0; c < train.Channels; c++)
        {
            double sum = 0, sumSq = 0;
            for (var n = 0; n < train.Count; n++)
            {
                foreach (var v in train.Pixels.AsSpan((n * train.Channels + c) * plane, plane))
                {
                    sum += v;
                    sumSq += (double)v * v;
                }
            }
            var count = Math.Max(1.0, (double)train.Count * plane);
            mean[c] = sum / count;
            std[c] = Math.Sqrt(Math.Max(0, sumSq / count - mean[c] * mean[c]));
        }
        var pixels = new float[train.Pixels.Length];
        for (var n = 0; n < train.Count; n++)
        {
            for (var c = 0; c < train.Channels; c++)
            {
                var dst = pixels.AsSpan((n * train.Channels + c) * plane, plane);
                for (var i = 0; i < plane; i++) dst[i] = (float)Math.Clamp(mean[c] + std[c] * rng.NextGaussian(), 0, 1);
            }
        }
        return train with { Pixels = pixels };
    }
}
