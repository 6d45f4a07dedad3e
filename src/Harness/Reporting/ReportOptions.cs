namespace Harness.Reporting;

/// <summary>Settings of <see cref="ExperimentReport.Write"/>.</summary>
/// <param name="BootstrapResamples">Resamples per bootstrap interval.</param>
/// <param name="Seed">Seed of every bootstrap generator.</param>
/// <param name="MemorizationEpsilon">A run has memorized once its clean training accuracy is ≥ 1 − ε.</param>
/// <param name="Figures">Whether to draw figures (tables and text are always written).</param>
public sealed record ReportOptions(int BootstrapResamples = 10_000, int Seed = 0, double MemorizationEpsilon = 1e-9, bool Figures = true)
{
    /// <summary>The defaults: 10,000 resamples, seed 0, ε = 1e-9, figures on.</summary>
    public static ReportOptions Default { get; } = new();
}
