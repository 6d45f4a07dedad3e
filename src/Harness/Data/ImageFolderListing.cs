namespace Harness.Data;

/// <summary>What a class-per-folder directory holds: its classes, its image files and the files it ignored.</summary>
/// <param name="Root">Absolute path of the folder.</param>
/// <param name="ClassNames">Subfolder names sorted ordinally; index = label.</param>
/// <param name="Files">Image files, by class, each class's files sorted ordinally by relative path.</param>
/// <param name="Ignored">Relative paths of ignored entries: phantom files (<c>.DS_Store</c>, <c>._*</c>, <c>Thumbs.db</c>, ...), non-image files, hidden folders.</param>
public sealed record ImageFolderListing(string Root, IReadOnlyList<string> ClassNames, IReadOnlyList<ImageFolderEntry> Files, IReadOnlyList<string> Ignored)
{
    /// <summary>Number of image files per class, in class order.</summary>
    public IReadOnlyList<int> CountPerClass =>
        ClassNames.Select((_, c) => Files.Count(f => f.Label == c)).ToArray();
}
