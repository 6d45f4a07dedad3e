namespace Harness.Specs;

/// <summary>
/// CIFAR-10, binary version: <c>data_batch_1.bin</c> .. <c>data_batch_5.bin</c> and <c>test_batch.bin</c> under
/// <see cref="Root"/> (or its <c>cifar-10-batches-bin</c> subfolder), downloaded there with an MD5 check when
/// missing and <see cref="Download"/> is true.
/// </summary>
/// <param name="Root">Folder holding the batches or the archive.</param>
/// <param name="TrainCount">Use only the first this many training images (file order; the published run used 5,000).</param>
/// <param name="TestCount">Use only the first this many test images (all 10,000 when null).</param>
/// <param name="Download">Download the official archive when the batches are missing.</param>
public sealed record Cifar10DataSpec(string Root, int? TrainCount = null, int? TestCount = null, bool Download = true) : IDataSourceSpec;
