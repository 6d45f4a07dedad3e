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
        model.eval();
        batchSize = BatchSize(batchSize, data);
        bool layout = channelsLast ?? BatchLayout.DefaultChannelsLast(data.Images.device);
        using var _ = torch.no_grad();
        using var outer = torch.NewDisposeScope();
        var device = data.Images.device;
        var lossSum = torch.zeros(1, ScalarType.Float64, device);
        var binCount = torch.zeros(CalibrationBins, ScalarType.Float64, device);
        var binConfidence = torch.zeros(CalibrationBins, ScalarType.Float64, device);
        var binCorrect = torch.zeros(CalibrationBins, ScalarType.Float64, device);
        var confidenceCorrect = torch.zeros(1, ScalarType.Float64, device);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int length = Math.Min(batchSize, data.Count - start);
            var x = BatchLayout.Prepare(data.Images.narrow(0, start, length), layout);
            var y = data.Labels.narrow(0, start, length);
            var logits = model.forward(x);
            lossSum.add_(ClassificationLoss.PerExample(logits, y, scheme).to(ScalarType.Float64).sum());
            var (confidence, predicted) = nn.functional.softmax(logits, 1).max(1);
            var correct = predicted.eq(y).to(ScalarType.Float64);
            var confidence64 = confidence.to(ScalarType.Float64);
            var bin = (confidence64 * CalibrationBins).floor().clamp(0, CalibrationBins - 1).to(ScalarType.Int64);
            binCount.index_add_(0, bin, torch.ones_like(confidence64), 1.0);
            binConfidence.index_add_(0, bin, confidence64, 1.0);
            binCorrect.index_add_(0, bin, correct, 1.0);
            confidenceCorrect.add_((confidence64 * correct).sum());
        }
        double n = data.Count;
        double loss = lossSum.item<double>() / n;
        var counts = binCount.data<double>().ToArray();
        var confidences = binConfidence.data<double>().ToArray();
        var corrects = binCorrect.data<double>().ToArray();
        double nCorrect = corrects.Sum(), sumConfidence = confidences.Sum(), sumConfidenceCorrect = confidenceCorrect.item<double>();
        double ece = 0;
        for (int b = 0; b < CalibrationBins; b++)
            if (counts[b] > 0) ece += counts[b] / n * Math.Abs(corrects[b] / counts[b] - confidences[b] / counts[b]);
        double nWrong = n - nCorrect;
        return new TestSetMetrics(
            name,
            loss,
            nCorrect / n,
            nCorrect > 0 ? sumConfidenceCorrect / nCorrect : double.NaN,
            nWrong > 0 ? (sumConfidence - sumConfidenceCorrect) / nWrong : double.NaN,
            ece);
    }
}
