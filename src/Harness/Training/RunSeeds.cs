using System.Security.Cryptography;
using System.Text;

namespace Harness.Training;

/// <summary>
/// Derives the independent streams a run needs from its one seed: weight initialization, the data order of
/// each epoch, and dropout/augmentation noise of each epoch. Deriving per epoch (instead of carrying one
/// stream along) makes a resumed run draw exactly what an uninterrupted one would have drawn.
/// </summary>
public static class RunSeeds
{
    /// <summary>Seed of the weight-initialization generator.</summary>
    public static long Initialization(int seed) => Derive(seed, "init", 0);

    /// <summary>Seed of the generator that shuffles epoch <paramref name="epoch"/>'s training order.</summary>
    public static long DataOrder(int seed, int epoch) => Derive(seed, "order", epoch);

    /// <summary>Seed of libtorch's global generator during epoch <paramref name="epoch"/> (dropout draws from it: TorchSharp's dropout takes no generator).</summary>
    public static long Noise(int seed, int epoch) => Derive(seed, "noise", epoch);

    /// <summary>Seed for data-side draws (train subset, controls, augmentation).</summary>
    public static int Data(int seed, string purpose) => (int)(Derive(seed, purpose, 0) & 0x7fffffff);

    private static long Derive(int seed, string stream, int index)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"harness/{seed}/{stream}/{index}"));
        return BitConverter.ToInt64(bytes, 0) & long.MaxValue;
    }
}
