namespace Harness.Specs;

/// <summary>
/// Class-per-folder images: a training folder whose subfolders are the classes (sorted by name), and either
/// named test folders with the same classes or a stratified, source-grouped fraction split of the training folder.
/// </summary>
/// <param name="Train">Training folder (absolute, or relative to the spec file).</param>
/// <param name="Tests">Named test folders; empty when <see cref="TestFraction"/> is used.</param>
/// <param name="TestFraction">Fraction of each class held out for testing when no test folder is given.</param>
/// <param name="GroupPattern">Regex whose first group names an image's source, so tiles and rotated copies stay on one side of a split.</param>
public sealed record FolderDataSpec(string Train, IReadOnlyList<NamedPath> Tests, double? TestFraction, string GroupPattern = FolderDataSpec.DefaultGroupPattern) : IDataSourceSpec
{
    /// <summary>
    /// <c>C100_-108.png</c>, <c>C100.png</c>, the tile <c>C100_t2x3.png</c> and the rotated tile <c>C100_t2x3_-5.png</c>
    /// all belong to source <c>C100</c>: an optional tile suffix <c>_t&lt;row&gt;x&lt;col&gt;</c>, then an optional angle or
    /// copy number <c>_&lt;integer&gt;</c>, are stripped.
    /// </summary>
    public const string DefaultGroupPattern = @"^(.+?)(?:_t\d+x\d+)?(?:_-?\d+)?\.[^.]+$";
}
