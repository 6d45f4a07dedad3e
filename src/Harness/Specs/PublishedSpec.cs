namespace Harness.Specs;

/// <summary>The published numbers an experiment is compared against in the report.</summary>
/// <param name="Source">Where the numbers come from.</param>
/// <param name="Values">The numbers.</param>
public sealed record PublishedSpec(string Source, IReadOnlyList<PublishedValue> Values);
