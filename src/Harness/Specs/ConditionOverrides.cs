namespace Harness.Specs;

/// <summary>
/// Run-level values one condition sets for itself (a condition is the most specific level: spec top level, then the
/// grid point, then the condition). <see cref="Optimizer"/> and <see cref="Image"/> are already merged with the
/// spec's top-level blocks by the loader, so applying them is a plain replacement. Null means "as the spec says".
/// </summary>
/// <param name="KeyPaths">The key paths the condition sets, e.g. <c>architecture</c>, <c>optimizer</c> (a whole
/// block, it names the optimizer), <c>optimizer.lr</c>, <c>image.size</c>; a grid may not vary any of them.</param>
/// <param name="Architecture">Architecture name, or null.</param>
/// <param name="Optimizer">The condition's optimizer, resolved, or null.</param>
/// <param name="Image">The condition's image settings, resolved, or null.</param>
/// <param name="Epochs">Training epochs, or null.</param>
/// <param name="BatchSize">Batch size, or null.</param>
/// <param name="Init">Initialization scheme, or null.</param>
public sealed record ConditionOverrides(
    IReadOnlyList<string> KeyPaths,
    string? Architecture = null,
    OptimizerSpec? Optimizer = null,
    ImageSpec? Image = null,
    int? Epochs = null,
    int? BatchSize = null,
    InitScheme? Init = null)
{
    /// <summary><paramref name="spec"/> with this condition's values in place of the top-level ones.</summary>
    public ExperimentSpec ApplyTo(ExperimentSpec spec) => spec with
    {
        Architecture = Architecture ?? spec.Architecture,
        Optimizer = Optimizer ?? spec.Optimizer,
        Image = Image ?? spec.Image,
        Epochs = Epochs ?? spec.Epochs,
        BatchSize = BatchSize ?? spec.BatchSize,
        Init = Init ?? spec.Init,
    };

    /// <summary>
    /// Whether a grid over <paramref name="gridKey"/> would change a value this condition sets: the same path, or one
    /// inside the other (<c>optimizer</c> set whole and a grid over <c>optimizer.lr</c>, say).
    /// </summary>
    public string? ConflictWith(string gridKey) =>
        KeyPaths.FirstOrDefault(k => k == gridKey || gridKey.StartsWith(k + ".", StringComparison.Ordinal) || k.StartsWith(gridKey + ".", StringComparison.Ordinal));
}
