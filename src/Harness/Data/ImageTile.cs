namespace Harness.Data;

/// <summary>One tile cut from a larger image.</summary>
/// <param name="Row">Grid row, from 0.</param>
/// <param name="Col">Grid column, from 0.</param>
/// <param name="Pixels">Channels x tile height x tile width values, in the source's units.</param>
public sealed record ImageTile(int Row, int Col, float[] Pixels);
