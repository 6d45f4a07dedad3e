namespace Harness.Reporting;

/// <summary>How fast a memorization control was fitted, relative to the same data with true labels.</summary>
/// <param name="Group">The control group's key.</param>
/// <param name="Kind">Control kind (random_labels, corrupt_labels, shuffled_pixels, random_pixels, gaussian_noise).</param>
/// <param name="Fraction">Fraction p of corrupted labels (1 for the other kinds).</param>
/// <param name="Baseline">Key of the true-label group on the same data, architecture and colour mode; null when none.</param>
/// <param name="N">Finished runs of the control.</param>
/// <param name="Memorized">Of those, runs that reached the memorization threshold.</param>
/// <param name="MedianEpoch">Kaplan–Meier median memorization epoch; null when fewer than half memorized.</param>
/// <param name="BaselineMedianEpoch">The baseline's Kaplan–Meier median, when defined.</param>
/// <param name="Slowdown">MedianEpoch / BaselineMedianEpoch, when both are defined.</param>
/// <param name="TestAccuracy">Final test accuracy of the control's runs.</param>
public sealed record ControlResult(
    string Group, string Kind, double Fraction, string? Baseline, int N, int Memorized,
    int? MedianEpoch, int? BaselineMedianEpoch, double? Slowdown, Summary TestAccuracy);
