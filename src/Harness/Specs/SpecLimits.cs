namespace Harness.Specs;

/// <summary>
/// Upper bounds on every count a spec or command line gives. Each is far above what a study of small classifiers
/// needs, and low enough that a typo (an extra zero, a pasted 2147483647) is refused with the key's position
/// before anything is planned or allocated, instead of hanging, exhausting memory or overflowing. The README's
/// "Limits" list repeats them.
/// </summary>
public static class SpecLimits
{
    /// <summary><c>seeds: N</c>, and the length of a seed list.</summary>
    public const int Seeds = 10_000;

    /// <summary>Runs one spec may plan (conditions x grid points x seeds).</summary>
    public const int Runs = 100_000;

    /// <summary><c>epochs</c>.</summary>
    public const int Epochs = 100_000;

    /// <summary><c>batch_size</c>: beyond this one batch of 256 x 256 RGB floats is over 50 GB.</summary>
    public const int BatchSize = 65_536;

    /// <summary>Each side of <c>image.size</c> and of generated images (<c>synthetic.size</c>, montage tiles, augmentation shifts).</summary>
    public const int ImageSide = 8_192;

    /// <summary>Images per class of a synthetic data set (train or test side).</summary>
    public const int ImagesPerClass = 1_000_000;

    /// <summary><c>threads</c> per run.</summary>
    public const int Threads = 1_024;

    /// <summary><c>seed_parallel</c> / <c>--seed-parallel</c>: seeds fused into one model.</summary>
    public const int SeedParallel = 256;

    /// <summary><c>harness run --workers</c>: worker processes.</summary>
    public const int Workers = 1_024;
}
