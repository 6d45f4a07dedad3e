namespace Harness.Specs;

/// <summary>The seeds of an experiment: <c>seeds: 12</c> means 1..12; <c>seeds: [4, 8]</c> lists them.</summary>
/// <param name="Values">The seeds, in the order runs are planned.</param>
public sealed record SeedSpec(IReadOnlyList<int> Values)
{
    /// <summary>Seeds 1..<paramref name="count"/>.</summary>
    public static SeedSpec Count(int count) => new(Enumerable.Range(1, count).ToArray());
}
