namespace Harness.Specs;

/// <summary>One compared condition of an experiment (e.g. <c>snap29</c>) and the data it trains on.</summary>
/// <param name="Name">Condition name as used in results, figures and MLflow.</param>
/// <param name="Data">Where its images come from.</param>
/// <param name="Control">A memorization control applied to its training data, if any.</param>
/// <param name="Overrides">Run-level keys the condition sets for itself (architecture, optimizer, image, ...), if any.</param>
public sealed record ConditionSpec(string Name, DataSpec Data, ControlSpec? Control = null, ConditionOverrides? Overrides = null);
