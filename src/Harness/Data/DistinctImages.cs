using System.Runtime.InteropServices;

namespace Harness.Data;

/// <summary>
/// The distinct images of a labelled set, each with how many times it occurs. A test set whose images repeat (the
/// published folders saved every tile under 20 angle names, unrotated: <c>copies: identical</c>) is measured once per
/// distinct image, each weighted by its count, which gives the same metrics for a twentieth of the forward passes.
/// </summary>
/// <param name="Images">Each distinct (label, pixels) pair once, in order of first occurrence; sources and groups of that first one.</param>
/// <param name="Counts">Per distinct image, how often it occurs in the original set; null when every image is distinct.</param>
public sealed record DistinctImages(LabeledImages Images, IReadOnlyList<int>? Counts)
{
    /// <summary>Images the distinct ones stand for: the original set's size.</summary>
    public int Total => Counts?.Sum() ?? Images.Count;

    /// <summary>
    /// Finds the images of <paramref name="images"/> that are equal value for value and carry the same label (by a hash
    /// of their bytes, confirmed by comparing them). Without repeats the set is returned as it is and
    /// <see cref="Counts"/> is null.
    /// </summary>
    public static DistinctImages Of(LabeledImages images)
    {
        int size = images.ImageSize;
        var seen = new Dictionary<(int Label, ulong Hash), List<int>>(); // distinct slots with that label and hash
        var distinct = new List<int>(images.Count); // per slot: the index of its first occurrence
        var counts = new List<int>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var pixels = images.Pixels.AsSpan(i * size, size);
            var key = (images.Labels[i], Hash(pixels));
            if (!seen.TryGetValue(key, out var slots)) seen[key] = slots = [];
            int match = -1;
            foreach (int slot in slots)
                if (pixels.SequenceEqual(images.Pixels.AsSpan(distinct[slot] * size, size))) { match = slot; break; }
            if (match >= 0)
            {
                counts[match]++;
                continue;
            }
            slots.Add(distinct.Count);
            distinct.Add(i);
            counts.Add(1);
        }
        return distinct.Count == images.Count
            ? new DistinctImages(images, null)
            : new DistinctImages(LabeledImagesSelection.Select(images, distinct), counts.ToArray());
    }

    /// <summary>FNV-1a over the image's 64-bit words (its bytes, 8 at a time; a tail shorter than 8 bytes word by word).</summary>
    private static ulong Hash(ReadOnlySpan<float> pixels)
    {
        const ulong prime = 1099511628211UL;
        ulong hash = 14695981039346656037UL;
        var words = MemoryMarshal.Cast<float, ulong>(pixels);
        foreach (ulong w in words) hash = (hash ^ w) * prime;
        if (pixels.Length % 2 == 1) hash = (hash ^ BitConverter.SingleToUInt32Bits(pixels[^1])) * prime;
        return hash;
    }
}
