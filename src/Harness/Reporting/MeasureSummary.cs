namespace Harness.Reporting;

/// <summary>One measure summarized across the finished runs of one group, over every finished run or over those that learned.</summary>
/// <param name="Group">Grouping key.</param>
/// <param name="Runs">Which finished runs the statistics are computed over.</param>
/// <param name="Measure">Measure name (see <see cref="RunMeasures.MeasureNames"/>).</param>
/// <param name="Summary">The statistics (its <see cref="Summary.N"/> is the number of runs with a value).</param>
public sealed record MeasureSummary(string Group, RunSet Runs, string Measure, Summary Summary);
