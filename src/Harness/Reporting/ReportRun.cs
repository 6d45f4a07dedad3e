using Harness.Tracking;

namespace Harness.Reporting;

/// <summary>One run as the report sees it: its files, folder, measures and curves.</summary>
/// <param name="Files">run.yaml, metrics.csv and status.json as read.</param>
/// <param name="Directory">The run's folder (panel.csv and attribution.csv are looked for here).</param>
/// <param name="Measures">Per-run measures.</param>
/// <param name="History">Per-epoch curves.</param>
public sealed record ReportRun(ExperimentMetrics.RunFiles Files, string Directory, RunMeasures Measures, RunHistory History);
