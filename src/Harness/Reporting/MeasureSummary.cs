namespace Harness.Reporting;

/// <summary>One measure summarized across the finished runs of one group.</summary>
/// <param name="Group">Grouping key.</param>
/// <param name="Measure">Measure name (see <see cref="RunMeasures.MeasureNames"/>).</param>
/// <param name="Summary">The statistics.</param>
public sealed record MeasureSummary(string Group, string Measure, Summary Summary);
