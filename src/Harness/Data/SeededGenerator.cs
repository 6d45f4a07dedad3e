namespace Harness.Data;

/// <summary>
/// A small explicit random generator (xoshiro256** seeded through SplitMix64) so that every random draw of
/// data preparation is a pure function of its seed, independent of the .NET version and of any global state.
/// </summary>
/// <remarks>
/// The one derivation of data-side seeds: every draw on the data side seeds its generator with <see cref="Mix"/> of
/// the seed it belongs to (the run's seed, the synthetic data's <c>data_seed</c>, or the fixed seed of the test
/// split) followed by what sets the draw apart, its purpose entered as <see cref="StableHash"/> of a name:
/// <list type="bullet">
/// <item>train subset: <c>Mix(seed, StableHash("train_subset"))</c> (<see cref="TrainingSetView"/>);</item>
/// <item>memorization control: <c>Mix(seed, StableHash(kind))</c>, e.g. <c>"random_labels"</c> (<see cref="TrainingSetView"/>);</item>
/// <item>augmentation of image i in an epoch: <c>Mix(seed, epoch, i, StableHash("augmentation"))</c> (<see cref="Augmentation"/>);</item>
/// <item>group-aware test split, per class: <c>Mix(split seed, label, StableHash("source_group_split"))</c> (<see cref="SourceGroupSplit"/>);</item>
/// <item>synthetic image: <c>Mix(data_seed, StableHash(split), class, index)</c> (<see cref="SyntheticCells.ImageSeed"/>);</item>
/// <item>synthetic field: <c>Mix(data_seed, StableHash("field"), StableHash(split), class, field)</c> (<see cref="SyntheticFields.FieldSeed"/>).</item>
/// </list>
/// Integers enter as <c>(ulong)(uint)</c>. The training loop (weight initialization, the order of batches, dropout)
/// draws from libtorch generators seeded by <c>Harness.Training.RunSeeds</c> instead. Both derivations are frozen: a
/// new part, a reordered part or a renamed purpose would change the data, and so the results, of every stored run.
/// </remarks>
internal sealed class SeededGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    public SeededGenerator(ulong seed)
    {
        var x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Combines seed parts into one well-mixed seed (order matters).</summary>
    public static ulong Mix(params ReadOnlySpan<ulong> parts)
    {
        var h = 0x6A09E667F3BCC908UL;
        foreach (var p in parts)
        {
            var x = h ^ p;
            h = SplitMix(ref x);
        }
        return h;
    }

    /// <summary>FNV-1a 64-bit hash of a string: stable across processes, unlike string.GetHashCode.</summary>
    public static ulong StableHash(string text)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var ch in text)
        {
            h ^= ch;
            h *= 0x100000001B3UL;
        }
        return h;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)Math.BigMul(NextUInt64(), (ulong)n, out _);
    }

    /// <summary>Standard normal (Box-Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        var (sin, cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spareGaussian = r * sin;
        _hasSpare = true;
        return r * cos;
    }

    /// <summary>Poisson draw by sequential inversion (exact; meant for the small means used here).</summary>
    public int NextPoisson(double mean)
    {
        if (mean <= 0) return 0;
        var u = NextDouble();
        var p = Math.Exp(-mean);
        var cdf = p;
        var k = 0;
        while (u > cdf && k < 10_000)
        {
            k++;
            p *= mean / k;
            cdf += p;
            if (p == 0 && cdf < u) break;
        }
        return k;
    }

    /// <summary>Fisher-Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A uniformly random permutation of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        Shuffle(p.AsSpan());
        return p;
    }
}
