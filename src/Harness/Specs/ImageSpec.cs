namespace Harness.Specs;

/// <summary>Input geometry and preprocessing shared by every image of a run.</summary>
/// <param name="Height">Height in pixels after resizing.</param>
/// <param name="Width">Width in pixels after resizing.</param>
/// <param name="ColorMode">Which channels reach the network.</param>
/// <param name="Rescale">How raw intensities map to [0, 1]: <c>bit_depth</c>, <c>max</c> or <c>percentile</c>.</param>
/// <param name="ResizeFilter">Resampling filter: <c>bilinear</c>, <c>nearest</c> or <c>area</c>.</param>
/// <param name="TiffPage">Multi-page TIFF: the page to read (null or <c>0</c> = first) or <c>max</c> / <c>mean</c> projection over pages.</param>
/// <param name="Normalize">
/// How the prepared images are scaled with statistics of the training side, per channel (see <see cref="Harness.Data.InputNormalization"/>):
/// null or <c>none</c> = as rescaled; <c>stretch</c> = the 0.5th-99.5th percentile to [0, 1], clipped;
/// <c>standardize</c> = minus the mean, divided by the SD. Null (none) is left out of the canonical JSON, so runs
/// planned before the option existed keep their RunIds.
/// </param>
public sealed record ImageSpec(
    int Height,
    int Width,
    ColorMode ColorMode,
    string Rescale = "bit_depth",
    string ResizeFilter = "bilinear",
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] string? TiffPage = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)] string? Normalize = null)
{
    /// <summary>The normalization in effect: <see cref="Normalize"/>, or <c>none</c> when unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Normalization => Normalize ?? "none";

    /// <summary>The TIFF page rule in effect: <see cref="TiffPage"/>, or <c>0</c> (the first page) when unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Page => TiffPage ?? "0";
}
