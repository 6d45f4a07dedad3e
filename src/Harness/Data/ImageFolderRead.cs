namespace Harness.Data;

/// <summary>The images read from a folder listing, and the unreadable files skipped (only when skipping was asked for).</summary>
/// <param name="Images">The images that could be read, in listing order.</param>
/// <param name="Skipped">Each skipped file as <c>path: reason</c>.</param>
public sealed record ImageFolderRead(LabeledImages Images, IReadOnlyList<string> Skipped);
