namespace Harness.Training;

/// <summary>The training loss became NaN or infinite: the run cannot continue and is marked failed.</summary>
public sealed class NonFiniteLossException(int epoch, double loss)
    : Exception($"training loss became {loss} in epoch {epoch}; the run diverged (try a lower learning rate)")
{
    /// <summary>Epoch in which it happened.</summary>
    public int Epoch { get; } = epoch;
}
