namespace Harness.Tests.Training;

/// <summary>
/// Tests that draw from libtorch's global generator (dropout masks) and compare two runs bit for bit: they run alone,
/// after the parallel tests, because any test running beside them may draw from the same generator in between.
/// </summary>
[CollectionDefinition(nameof(GlobalGeneratorCollection), DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;
