namespace Harness.Specs;

/// <summary>One published number, e.g. snf7 / final_test_accuracy / 0.62.</summary>
/// <param name="Condition">Condition name it belongs to.</param>
/// <param name="Measure">Per-run measure name as in the report (e.g. <c>final_test_accuracy</c>, <c>final_train_accuracy</c>, <c>best_test_accuracy</c>, <c>human_expert_accuracy</c>).</param>
/// <param name="Value">The published value, as a fraction (0.62, not 62).</param>
/// <param name="Note">What the publication said about it.</param>
public sealed record PublishedValue(string Condition, string Measure, double Value, string Note = "");
