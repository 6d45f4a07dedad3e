namespace Harness.Specs;

/// <summary>
/// IDX files (the MNIST format; raw or gzipped): training and test images (N x H x W bytes) with their labels.
/// <see cref="Dataset"/> is a shorthand for a known installed set (<c>fashion-mnist</c>: the Debian package
/// <c>dataset-fashion-mnist</c>, files under <c>/usr/share/datasets/fashion-mnist</c>); paths given explicitly win.
/// </summary>
/// <param name="TrainImages">Training images file.</param>
/// <param name="TrainLabels">Training labels file.</param>
/// <param name="TestImages">Test images file.</param>
/// <param name="TestLabels">Test labels file.</param>
/// <param name="Dataset">Known data set name (<c>fashion-mnist</c>, <c>mnist</c>) naming the class names and, for fashion-mnist, the default files.</param>
/// <param name="TrainCount">Use only the first this many training images (file order).</param>
public sealed record IdxDataSpec(string? TrainImages, string? TrainLabels, string? TestImages, string? TestLabels, string? Dataset = null, int? TrainCount = null) : IDataSourceSpec;
