namespace Harness.Specs;

/// <summary>
/// One fully resolved training run: a condition at one grid point with one seed. A run is a pure function of
/// this record. <see cref="RunId"/> is a stable hash of everything else here, so the same spec gives the same
/// ids on any machine.
/// </summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Data">The condition's data source.</param>
/// <param name="Control">Memorization control applied to the training data, if any.</param>
/// <param name="Architecture">Architecture name.</param>
/// <param name="Image">Input geometry and preprocessing.</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="Optimizer">Optimizer with every default resolved (Epsilon is set).</param>
/// <param name="Init">Initialization scheme.</param>
/// <param name="Device">Requested device (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>).</param>
/// <param name="Threads">CPU threads.</param>
/// <param name="Seed">The seed that drives weight init, data order, augmentation and controls.</param>
/// <param name="GridPoint">The grid values of this run (key path to value), empty without a grid.</param>
/// <param name="RunId">Stable content hash (12 hex characters).</param>
public sealed record RunSpec(
    string Experiment,
    string Condition,
    DataSpec Data,
    ControlSpec? Control,
    string Architecture,
    ImageSpec Image,
    int Epochs,
    int BatchSize,
    OptimizerSpec Optimizer,
    InitScheme Init,
    string Device,
    int Threads,
    int Seed,
    IReadOnlyDictionary<string, string> GridPoint,
    string RunId)
{
    /// <summary>A readable name: condition, architecture, colour mode and seed, e.g. <c>snf7 deep rgb seed 3</c>.</summary>
    public string DisplayName => $"{Condition} {Architecture} {Image.ColorMode} seed {Seed}";
}
