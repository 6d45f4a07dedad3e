namespace Harness.Data;

/// <summary>What <c>harness data inspect</c> found in one or more image folders.</summary>
/// <param name="Folders">Each folder's classes, counts, phantom and unreadable files.</param>
/// <param name="Sizes">Image sizes (<c>HxW</c>) and how many files have each.</param>
/// <param name="BitDepths">Bit depths (<c>16-bit (12 effective)</c>) and how many files have each.</param>
/// <param name="ChannelCounts">Channel counts and how many files have each.</param>
/// <param name="PageCounts">Page counts (multi-page TIFF) and how many files have each.</param>
/// <param name="Duplicates">Sets of files with identical bytes (SHA-256), absolute paths; within or across folders.</param>
public sealed record DataInspection(
    IReadOnlyList<FolderInspection> Folders,
    IReadOnlyDictionary<string, int> Sizes,
    IReadOnlyDictionary<string, int> BitDepths,
    IReadOnlyDictionary<int, int> ChannelCounts,
    IReadOnlyDictionary<int, int> PageCounts,
    IReadOnlyList<IReadOnlyList<string>> Duplicates);
