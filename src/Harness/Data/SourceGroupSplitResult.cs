namespace Harness.Data;

/// <summary>A group-aware train/test split: indices into the input list, ascending.</summary>
/// <param name="Train">Indices of training items.</param>
/// <param name="Test">Indices of test items.</param>
/// <param name="TrainGroups">Number of source groups on the training side.</param>
/// <param name="TestGroups">Number of source groups on the test side.</param>
public sealed record SourceGroupSplitResult(IReadOnlyList<int> Train, IReadOnlyList<int> Test, int TrainGroups, int TestGroups);
