using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Harness.Data;

/// <summary>
/// The distinct images of one or more labelled sets, with how many times each occurs in each set. A set whose images
/// repeat (the published folders saved every tile under 20 angle names, unrotated: <c>copies: identical</c>; a draw of
/// 400 from such a folder) is measured once per distinct image, each weighted by its count, which gives the same
/// metrics for a fraction of the forward passes.
/// </summary>
/// <param name="Images">Each distinct (label, pixels) pair once, in order of first occurrence; sources and groups of that first one.</param>
/// <param name="Counts">Per set, per distinct image: how often it occurs in that set; null for one set whose images are all distinct.</param>
public sealed record DistinctImages(LabeledImages Images, IReadOnlyList<IReadOnlyList<int>>? Counts)
{
    /// <summary>Images the distinct ones stand for in each set (the sets' sizes).</summary>
    public IReadOnlyList<int> Totals => Counts?.Select(c => c.Sum()).ToArray() ?? [Images.Count];

    /// <summary>
    /// The distinct images of one set; a set without repeats is returned as it is, with <see cref="Counts"/> null.
    /// Found once per set: the runs of a sweep share their prepared test sets, so later runs get the first one's answer.
    /// </summary>
    public static DistinctImages Of(LabeledImages images) => OfSet.GetValue(images, set => Of([set]));

    /// <summary>The answers of <see cref="Of(LabeledImages)"/>, kept as long as their set lives (image sets are not changed once made).</summary>
    private static readonly ConditionalWeakTable<LabeledImages, DistinctImages> OfSet = new();

    /// <summary>
    /// The distinct images of all <paramref name="sets"/> together (equal value for value and of the same label, found
    /// by a hash of their bytes and confirmed by comparing them), with each set's counts. Sets of one image size only.
    /// </summary>
    public static DistinctImages Of(IReadOnlyList<LabeledImages> sets)
    {
        var (distinct, counts) = Find(sets);
        if (sets.Count == 1 && distinct.Count == sets[0].Count) return new DistinctImages(sets[0], null);
        return new DistinctImages(LabeledImagesSelection.Gather(sets, distinct), counts.Select(c => (IReadOnlyList<int>)c.ToArray()).ToArray());
    }

    /// <summary>
    /// How many distinct (label, pixels) images <paramref name="images"/> holds, without gathering them: what a run
    /// records of its own draw of training images, which it does not keep.
    /// </summary>
    public static int CountOf(LabeledImages images) => Find([images]).Distinct.Count;

    /// <summary>Per distinct image its first occurrence (set, index), and per set how often each distinct image occurs in it.</summary>
    private static (List<(int Set, int Index)> Distinct, List<int>[] Counts) Find(IReadOnlyList<LabeledImages> sets)
    {
        if (sets.Count == 0) throw new ArgumentException("no image set", nameof(sets));
        var shape = (sets[0].Channels, sets[0].Height, sets[0].Width);
        if (sets.Any(s => (s.Channels, s.Height, s.Width) != shape)) throw new ArgumentException("image sets of different image sizes", nameof(sets));
        int size = sets[0].ImageSize;
        var seen = new Dictionary<(int Label, ulong Hash), List<int>>(); // distinct slots with that label and hash
        var distinct = new List<(int Set, int Index)>(); // per slot: its first occurrence
        var counts = sets.Select(_ => new List<int>()).ToArray();
        for (int s = 0; s < sets.Count; s++)
            for (int i = 0; i < sets[s].Count; i++)
            {
                var pixels = sets[s].Pixels.AsSpan(i * size, size);
                var key = (sets[s].Labels[i], Hash(pixels));
                if (!seen.TryGetValue(key, out var slots)) seen[key] = slots = [];
                int match = -1;
                foreach (int slot in slots)
                {
                    var (fs, fi) = distinct[slot];
                    if (pixels.SequenceEqual(sets[fs].Pixels.AsSpan(fi * size, size))) { match = slot; break; }
                }
                if (match < 0)
                {
                    match = distinct.Count;
                    slots.Add(match);
                    distinct.Add((s, i));
                    foreach (var c in counts) c.Add(0);
                }
                counts[s][match]++;
            }
        return (distinct, counts);
    }

    /// <summary>FNV-1a over the image's 64-bit words (its bytes, 8 at a time; an odd last float on its own).</summary>
    private static ulong Hash(ReadOnlySpan<float> pixels)
    {
        const ulong prime = 1099511628211UL;
        ulong hash = 14695981039346656037UL;
        foreach (ulong word in MemoryMarshal.Cast<float, ulong>(pixels)) hash = (hash ^ word) * prime;
        if (pixels.Length % 2 == 1) hash = (hash ^ BitConverter.SingleToUInt32Bits(pixels[^1])) * prime;
        return hash;
    }
}
