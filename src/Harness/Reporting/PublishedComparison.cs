namespace Harness.Reporting;

/// <summary>A published number beside the reproduced one.</summary>
/// <param name="Condition">Condition named by the publication.</param>
/// <param name="Group">Group it was matched to (null when no run has that condition).</param>
/// <param name="Measure">Measure name.</param>
/// <param name="Published">Published value (fraction for accuracies, epochs for memorization_epoch).</param>
/// <param name="Note">What the publication said.</param>
/// <param name="N">Runs the reproduced value rests on.</param>
/// <param name="Reproduced">Reproduced estimate (mean, or maximum for best_run_test_accuracy); NaN when none.</param>
/// <param name="Ci">Interval of the reproduced estimate, when it can be estimated.</param>
/// <param name="Inside">Whether the published value lies in <see cref="Ci"/>; null without an interval.</param>
/// <param name="Comment">What the comparison rests on or why it is missing.</param>
public sealed record PublishedComparison(
    string Condition, string? Group, string Measure, double Published, string Note, int N, double Reproduced,
    ConfidenceInterval? Ci, bool? Inside, string Comment);
