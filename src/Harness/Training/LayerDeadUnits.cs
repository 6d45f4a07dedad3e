namespace Harness.Training;

/// <summary>Dead ReLU units of one layer on the probe batch.</summary>
/// <param name="Layer">Layer name (<c>conv3</c>, <c>fc1</c>).</param>
/// <param name="Units">Units of the layer: channels of a convolution, neurons of a dense layer.</param>
/// <param name="Dead">Units whose ReLU output is zero for every probe image (and, for a convolution, at every position).</param>
public sealed record LayerDeadUnits(string Layer, long Units, long Dead)
{
    /// <summary>Dead / Units.</summary>
    public double Fraction => Units == 0 ? 0 : (double)Dead / Units;
}
