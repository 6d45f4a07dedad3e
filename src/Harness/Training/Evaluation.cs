using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// Measures a model on a labelled set in evaluation mode, without gradients, in large batches, accumulating
/// on the device and reading the totals once.
/// </summary>
public static class Evaluation
{
    /// <summary>Confidence bins of the expected calibration error.</summary>
    public const int CalibrationBins = 10;

    /// <summary>
    /// Most image pixels (batch x H x W) in one evaluation batch: 4 Mi pixels, so the largest activation of these
    /// networks (their first convolution, 16 filters at full resolution) stays near 256 MiB. Large images are then
    /// measured in batches of fewer images than asked (deep at 256 x 256: 64 instead of 200), which bounds peak
    /// memory without slowing the measurement; small ones (28 x 28) keep the requested batch.
    /// </summary>
    public const long PixelsPerBatch = 1L << 22;

    /// <summary>The evaluation batch for <paramref name="requested"/> images of <paramref name="data"/>'s size (see <see cref="PixelsPerBatch"/>).</summary>
    public static int BatchSize(int requested, DeviceImages data)
    {
        long pixels = Math.Max(1, data.Images.shape[2] * data.Images.shape[3]);
        return (int)Math.Clamp(PixelsPerBatch / pixels, 1, Math.Max(1, requested));
    }

    /// <summary>Loss, accuracy, confidence on correct and wrong predictions, and ECE of <paramref name="model"/> on <paramref name="data"/>.</summary>
    public static TestSetMetrics Measure(string name, nn.Module<Tensor, Tensor> model, DeviceImages data, InitScheme scheme, int batchSize, bool? channelsLast = null)
    {
        if (data.Weights is { } w && w.dim() != 1) throw new ArgumentException("one model is measured on one set, not on several members' sets", nameof(data));
        bool layout = channelsLast ?? BatchLayout.DefaultChannelsLast(data.Images.device);
        return MeasureMembers(name, model, 1, data, BatchSize(batchSize, data), scheme, (start, length) =>
            (model.forward(BatchLayout.Prepare(data.Images.narrow(0, start, length), layout)), data.Labels.narrow(0, start, length)))[0];
    }

    /// <summary>
    /// The measurement of <paramref name="members"/> models at once (one network, or each member of a fused group) on
    /// the images of <paramref name="data"/> (each weighted by its <see cref="DeviceImages.Weights"/>), in evaluation
    /// mode and without gradients: <paramref name="batch"/> gives the logits and labels of the images
    /// <c>start .. start + length - 1</c> (see <see cref="TestSetTotals.Add"/>).
    /// </summary>
    internal static TestSetMetrics[] MeasureMembers(string name, nn.Module model, int members, DeviceImages data, int batchSize,
        InitScheme scheme, Func<int, int, (Tensor Logits, Tensor Labels)> batch)
    {
        model.eval();
        using var _ = torch.no_grad();
        using var totals = new TestSetTotals(members, data.Images.device);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int length = Math.Min(batchSize, data.Count - start);
            var (logits, labels) = batch(start, length);
            totals.Add(logits, labels, scheme, data.Weights?.narrow(-1, start, length));
        }
        return totals.Read(name, data.Represented);
    }
}
