namespace Harness.Specs;

/// <summary>
/// How synthetic images are made the way the published sets were: whole fields (micrographs) of many cells per class,
/// converted to 8 bits with one contrast stretch, cut into a <see cref="Grid"/> x <see cref="Grid"/> grid of tiles, each
/// tile rotated in <see cref="RotationStep"/>-degree steps; the training folder holds <see cref="Train"/> fields per class,
/// and each of <see cref="TestSets"/> test sets <see cref="Test"/> other fields per class.
/// </summary>
/// <param name="Train">Fields per class in the training folder.</param>
/// <param name="Test">Fields per class in each test set.</param>
/// <param name="TestSets">Test sets, each from its own held-out fields (the published study had two).</param>
/// <param name="Grid">Tiles per field side (the published 4 x 4).</param>
/// <param name="RotationStep">Degrees between rotated copies of a tile (the published 18: 20 copies, -180 to 162); 0 = no rotated copies.</param>
/// <param name="Copies">
/// <see cref="RotatedCopies"/>: each copy is the tile rotated by its angle. <see cref="IdenticalCopies"/>: each copy is the
/// unrotated tile saved under its angle's name, as the published rotation snippet wrote the published folders (it discarded
/// the rotated image and saved the original; reference/published-results.md, "Quirks of the published scripts").
/// </param>
public sealed record SyntheticFieldsSpec(int Train = 2, int Test = 1, int TestSets = 2, int Grid = 4, int RotationStep = 18, string Copies = SyntheticFieldsSpec.RotatedCopies)
{
    /// <summary>Copies that are the tile rotated by their angle (what <c>harness data rotate</c> writes).</summary>
    public const string RotatedCopies = "rotated";

    /// <summary>Copies that are the unrotated tile under every angle's name (what the published snippet wrote).</summary>
    public const string IdenticalCopies = "identical";

    /// <summary>The values <see cref="Copies"/> may take.</summary>
    public static IReadOnlyList<string> CopyKinds { get; } = [RotatedCopies, IdenticalCopies];

    /// <summary>True when every copy of a tile holds the unrotated tile.</summary>
    public bool CopiesAreIdentical => Copies == IdenticalCopies;

    /// <summary>The rotation angles of every tile, as in the published file names (<c>C100_-108.png</c>): -180, -162, ..., 162; just 0 without rotation.</summary>
    public IReadOnlyList<int> Angles() => RotationStep <= 0
        ? [0]
        : Enumerable.Range(0, 360 / RotationStep).Select(i => -180 + i * RotationStep).ToArray();

    /// <summary>Distinct tiles per class in a split of <paramref name="fields"/> fields per class (before their copies).</summary>
    public int TilesPerClass(int fields) => checked(fields * Grid * Grid);

    /// <summary>Images per class in a split of <paramref name="fields"/> fields per class: every tile under every angle.</summary>
    public int ImagesPerClass(int fields) => checked(TilesPerClass(fields) * Angles().Count);
}
