namespace Harness.Data;

/// <summary>What <c>harness data inspect</c> found in one class-per-folder directory.</summary>
/// <param name="Root">Absolute path.</param>
/// <param name="ClassNames">Class subfolders, sorted ordinally.</param>
/// <param name="CountPerClass">Image files per class (0 for an empty class folder).</param>
/// <param name="Phantom">Ignored entries (phantom files such as <c>.DS_Store</c> and <c>._*</c>, non-image files, hidden folders), relative paths.</param>
/// <param name="Unreadable">Files that could not be decoded, as <c>path: reason</c>.</param>
/// <param name="Problems">Folder-level problems: missing folder, no classes, empty class folders.</param>
public sealed record FolderInspection(
    string Root,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<int> CountPerClass,
    IReadOnlyList<string> Phantom,
    IReadOnlyList<string> Unreadable,
    IReadOnlyList<string> Problems);
