namespace Harness.Data;

/// <summary>A decoded image: three channels (R, G, B) laid out 3 x H x W, intensities already rescaled to [0, 1].</summary>
/// <param name="Pixels">3*H*W floats.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
public sealed record RgbImage(float[] Pixels, int Height, int Width);
