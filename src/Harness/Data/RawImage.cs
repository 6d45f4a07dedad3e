namespace Harness.Data;

/// <summary>
/// A decoded image before any rescaling: raw sample values (0..255 or 0..65535) laid out channels x H x W,
/// with what the file said about itself, for inspection, tiling and dataset-wide scaling.
/// </summary>
/// <param name="Pixels">Channels*H*W raw values.</param>
/// <param name="Channels">Channels stored in the file (alpha dropped): 1 grey, 2, 3 RGB, or more.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="BitsPerSample">Bits per sample of the container: 8 or 16.</param>
/// <param name="Pages">Pages (TIFF directories) in the file; 1 for other formats.</param>
/// <param name="MaxValue">Largest raw value over all channels.</param>
public sealed record RawImage(float[] Pixels, int Channels, int Height, int Width, int BitsPerSample, int Pages, float MaxValue)
{
    /// <summary>The effective bit depth by the rule of <see cref="ImageDecoder.EffectiveBitDepth"/>.</summary>
    public int EffectiveBits => ImageDecoder.EffectiveBitDepth(BitsPerSample, MaxValue);
}
