namespace Harness.Specs;

/// <summary>
/// One experiment as written in <c>experiments/NAME.yaml</c>, after strict loading and validation.
/// Every value here is what the file (plus <c>--set</c> overrides) says, with documented defaults filled in.
/// </summary>
/// <param name="Name">Experiment name; also the results folder and the MLflow experiment.</param>
/// <param name="Description">Free text for the report.</param>
/// <param name="Seeds">The seeds every condition and grid point is trained from.</param>
/// <param name="Epochs">Training epochs per run (>= 1).</param>
/// <param name="BatchSize">Training batch size (>= 1).</param>
/// <param name="Device"><c>auto</c> (CUDA when available), <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</param>
/// <param name="Threads">CPU threads per run; fixed because it changes floating-point results.</param>
/// <param name="Init">Weight-initialization and framework-default scheme (<c>keras</c> or <c>torch</c>).</param>
/// <param name="Optimizer">Optimizer and its hyper-parameters.</param>
/// <param name="Architecture">Architecture name from the model registry, e.g. <c>deep</c>.</param>
/// <param name="Image">Input geometry, colour mode and preprocessing.</param>
/// <param name="Conditions">
/// The compared conditions (e.g. snap29, snf7), each with its data and any run-level keys it sets for itself
/// (<see cref="ConditionSpec.Overrides"/>); the run-level values here are those of conditions that set none.
/// </param>
/// <param name="Grid">Axes to cross with conditions and seeds (key path and values).</param>
/// <param name="Tracking">Where runs are mirrored besides the CSV files.</param>
/// <param name="Published">Published numbers the report compares against, if any.</param>
/// <param name="SeedParallel">How many seeds of one condition to train fused as one model (1 = off).</param>
/// <param name="SourcePath">The YAML file this spec came from (for error messages and the report).</param>
public sealed record ExperimentSpec(
    string Name,
    string Description,
    SeedSpec Seeds,
    int Epochs,
    int BatchSize,
    string Device,
    int Threads,
    InitScheme Init,
    OptimizerSpec Optimizer,
    string Architecture,
    ImageSpec Image,
    IReadOnlyList<ConditionSpec> Conditions,
    IReadOnlyList<GridAxis> Grid,
    TrackingSpec Tracking,
    PublishedSpec? Published,
    int SeedParallel,
    string SourcePath);
