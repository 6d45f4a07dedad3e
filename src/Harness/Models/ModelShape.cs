namespace Harness.Models;

/// <summary>What a network is built for: input channels, height and width, and the number of classes.</summary>
/// <param name="Channels">Input channels (3 for rgb, 1 for mono).</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="Classes">Output units (one per class).</param>
public sealed record ModelShape(int Channels, int Height, int Width, int Classes);
