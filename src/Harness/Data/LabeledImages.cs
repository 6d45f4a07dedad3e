namespace Harness.Data;

/// <summary>
/// A set of preprocessed images in memory, ready to become one tensor: pixels in [0, 1], laid out
/// N x C x H x W (row-major), with one class index per image.
/// </summary>
/// <param name="Pixels">N*C*H*W floats.</param>
/// <param name="Labels">Class index per image.</param>
/// <param name="Channels">C.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="Sources">Per image: its file path (relative to the data root) or synthetic id, for error messages and panels.</param>
/// <param name="Groups">Per image: its source group (tiles and rotated copies of one image share a group).</param>
public sealed record LabeledImages(float[] Pixels, int[] Labels, int Channels, int Height, int Width, IReadOnlyList<string> Sources, IReadOnlyList<string> Groups)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Floats per image (C*H*W).</summary>
    public int ImageSize => Channels * Height * Width;
}
