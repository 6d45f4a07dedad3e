namespace Harness.Specs;

/// <summary>Input geometry and preprocessing shared by every image of a run.</summary>
/// <param name="Height">Height in pixels after resizing.</param>
/// <param name="Width">Width in pixels after resizing.</param>
/// <param name="ColorMode">Which channels reach the network.</param>
/// <param name="Rescale">How raw intensities map to [0, 1]: <c>bit_depth</c>, <c>max</c> or <c>percentile</c>.</param>
/// <param name="ResizeFilter">Resampling filter: <c>bilinear</c>, <c>nearest</c> or <c>area</c>.</param>
/// <param name="TiffPage">Multi-page TIFF: the page to read (null or <c>0</c> = first) or <c>max</c> / <c>mean</c> projection over pages.</param>
public sealed record ImageSpec(
    int Height,
    int Width,
    ColorMode ColorMode,
    string Rescale = "bit_depth",
    string ResizeFilter = "bilinear",
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] string? TiffPage = null)
{
    /// <summary>The TIFF page rule in effect: <see cref="TiffPage"/>, or <c>0</c> (the first page) when unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Page => TiffPage ?? "0";
}
