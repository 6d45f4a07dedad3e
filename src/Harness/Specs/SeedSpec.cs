using System.Collections;

namespace Harness.Specs;

/// <summary>The seeds of an experiment: <c>seeds: 12</c> means 1..12; <c>seeds: [4, 8]</c> lists them.</summary>
/// <param name="Values">The seeds, in the order runs are planned.</param>
public sealed record SeedSpec(IReadOnlyList<int> Values)
{
    /// <summary>Seeds 1..<paramref name="count"/>, computed when read rather than stored, so a spec costs no memory per seed.</summary>
    public static SeedSpec Count(int count) => new(new SeedRange(count));

    /// <summary>1..count as a list that holds only its length.</summary>
    private sealed class SeedRange(int count) : IReadOnlyList<int>
    {
        public int Count => count;

        public int this[int index] => (uint)index < (uint)count ? index + 1 : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<int> GetEnumerator()
        {
            for (int i = 1; i <= count; i++) yield return i;
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
