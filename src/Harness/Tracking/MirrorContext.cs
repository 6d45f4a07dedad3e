using Harness.Specs;

namespace Harness.Tracking;

/// <summary>What a mirror needs to decide whether it is wanted and to open itself.</summary>
/// <param name="Experiment">The experiment being trained (its <c>tracking:</c> block says which mirrors it wants).</param>
/// <param name="Layout">Its results folder.</param>
/// <param name="Say">A one-line notice for the user (e.g. where the mirror goes).</param>
/// <param name="Warn">A mirror's warnings while it runs (never secrets).</param>
public sealed record MirrorContext(ExperimentSpec Experiment, ResultsLayout Layout, Action<string> Say, Action<string> Warn);
