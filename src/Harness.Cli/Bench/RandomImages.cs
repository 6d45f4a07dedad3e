using Harness.Data;
using Harness.Models;

namespace Harness.Cli.Bench;

/// <summary>
/// Uniform random pixels and labels from a seeded generator, for the bench and parity workers: the cost of training
/// does not depend on what the images show, and random images are distinct, so a batch's images identify their indices.
/// </summary>
internal static class RandomImages
{
    /// <summary><paramref name="count"/> images of <paramref name="shape"/> drawn from <paramref name="seed"/>.</summary>
    public static LabeledImages Of(int count, ModelShape shape, int seed)
    {
        var random = new Random(seed);
        var pixels = new float[(long)count * shape.Channels * shape.Height * shape.Width];
        for (long i = 0; i < pixels.LongLength; i++) pixels[i] = random.NextSingle();
        var labels = Enumerable.Range(0, count).Select(_ => random.Next(shape.Classes)).ToArray();
        var names = Enumerable.Range(0, count).Select(i => $"random{i}").ToArray();
        return new LabeledImages(pixels, labels, shape.Channels, shape.Height, shape.Width, names, names);
    }
}
