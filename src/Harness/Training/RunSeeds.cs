using System.Security.Cryptography;
using System.Text;

namespace Harness.Training;

/// <summary>
/// Derives the libtorch generators' seeds a run needs from its one seed: weight initialization, the data order of
/// each epoch, and dropout noise of each epoch. Deriving per epoch (instead of carrying one stream along) makes a
/// resumed run draw exactly what an uninterrupted one would have drawn.
/// </summary>
/// <remarks>
/// Only the training loop's generators derive here. Every data-side draw (train subset, memorization controls, augmentation, the
/// group-aware split, synthetic images) seeds its generator through <c>Harness.Data.SeededGenerator.Mix</c>, whose
/// documentation lists each of them; there is no second way to seed a data-side draw.
/// </remarks>
public static class RunSeeds
{
    /// <summary>Seed of the weight-initialization generator.</summary>
    public static long Initialization(int seed) => Derive(seed, "init", 0);

    /// <summary>Seed of the generator that shuffles epoch <paramref name="epoch"/>'s training order.</summary>
    public static long DataOrder(int seed, int epoch) => Derive(seed, "order", epoch);

    /// <summary>Seed of libtorch's global generator during epoch <paramref name="epoch"/> (dropout draws from it: TorchSharp's dropout takes no generator).</summary>
    public static long Noise(int seed, int epoch) => Derive(seed, "noise", epoch);

    private static long Derive(int seed, string stream, int index)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"harness/{seed}/{stream}/{index}"));
        return BitConverter.ToInt64(bytes, 0) & long.MaxValue;
    }
}
