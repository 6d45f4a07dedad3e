using Harness.Specs;

namespace Harness.Reporting;

/// <summary>One experiment the study looks for: where its results should be, and the numbers it is held to.</summary>
/// <param name="Name">Experiment name, e.g. <c>snf7_vs_snap29</c>.</param>
/// <param name="ResultsDirectory">Its results folder, e.g. <c>results/snf7_vs_snap29</c> (it may not exist).</param>
/// <param name="Published">The published numbers of its spec, or null when it has none (or they could not be read).</param>
/// <param name="NotRunReason">Why it was not run when that is known beforehand (e.g. its data are absent); null otherwise.</param>
public sealed record StudyExperiment(string Name, string ResultsDirectory, PublishedSpec? Published, string? NotRunReason = null);
