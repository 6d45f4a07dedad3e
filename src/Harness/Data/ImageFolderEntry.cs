namespace Harness.Data;

/// <summary>One image file found in a class-per-folder directory.</summary>
/// <param name="FullPath">Absolute path.</param>
/// <param name="RelativePath">Path relative to the folder root, with '/' separators: <c>control/C100_-108.png</c>.</param>
/// <param name="Label">Class index (position of the class folder in the ordinal sort).</param>
/// <param name="Group">Source group: <c>class/source</c>, the source taken from the file name by the group pattern.</param>
public sealed record ImageFolderEntry(string FullPath, string RelativePath, int Label, string Group);
