namespace Harness.Specs;

/// <summary>
/// Montages of single-cell images (imaging flow cytometry exports): each file is a grid of
/// <see cref="Tile"/> x <see cref="Tile"/> cells, one file per channel (<c>Ch3_CP0001.tif</c>, <c>Ch4_CP0001.tif</c>:
/// same cells, two channels). Each class is one folder; files pair up across channels by the name after the
/// channel prefix. Every cell is its own source group; filler tiles that repeat an earlier cell exactly are dropped.
/// </summary>
/// <param name="Root">Folder the class folders are relative to.</param>
/// <param name="Classes">Class name and its folder; labels follow the ordinal order of the names.</param>
/// <param name="Tile">Side of one cell image in pixels.</param>
/// <param name="Channels">Channel file prefixes, in the order they become R, G, B (<c>[Ch4]</c>, <c>[Ch3, Ch4]</c>).</param>
/// <param name="TestFraction">Fraction of each class's cells held out for testing (cells split as groups).</param>
/// <param name="DropDuplicates">Drop tiles whose content (all channels) repeats an earlier tile of the same class.</param>
/// <param name="MaxPerClass">Keep only the first this many cells of each class (file and grid order), to balance classes.</param>
public sealed record MontageDataSpec(string Root, IReadOnlyList<NamedPath> Classes, int Tile, IReadOnlyList<string> Channels, double TestFraction, bool DropDuplicates = true, int? MaxPerClass = null) : IDataSourceSpec;
