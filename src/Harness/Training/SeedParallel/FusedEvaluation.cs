using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// <see cref="Evaluation.Measure"/> for every member of a <see cref="FusedEnsemble"/> at once: the same sums,
/// accumulated per member on the device ([K] and [K, bins]) and read once.
/// </summary>
public static class FusedEvaluation
{
    /// <summary>
    /// Measures member k on <paramref name="data"/>[k] (the same set K times for a test set; each member's own
    /// training set for the clean training measurement); the sets must have equal sizes.
    /// </summary>
    public static IReadOnlyList<TestSetMetrics> Measure(string name, FusedEnsemble model, IReadOnlyList<DeviceImages> data, InitScheme scheme, int batchSize)
    {
        int k = model.Members, bins = Evaluation.CalibrationBins, count = data[0].Count;
        // A fused batch holds K members' images: keep the total what one standalone batch holds, unless the large
        // early layers run member by member (their activations then exist for one member at a time).
        batchSize = Evaluation.BatchSize(batchSize, data[0]);
        if (!model.InputMemberMajor) batchSize = Math.Max(1, (batchSize + k - 1) / k);
        if (data.Count != k || data.Any(d => d.Count != count)) throw new ArgumentException("one set per member, all of the same size, is needed", nameof(data));
        bool shared = data.All(d => ReferenceEquals(d, data[0]));
        model.eval();
        using var _ = torch.no_grad();
        using var outer = torch.NewDisposeScope();
        var device = data[0].Images.device;
        var lossSum = torch.zeros(k, ScalarType.Float64, device);
        var binCount = torch.zeros(k * bins, ScalarType.Float64, device);
        var binConfidence = torch.zeros(k * bins, ScalarType.Float64, device);
        var binCorrect = torch.zeros(k * bins, ScalarType.Float64, device);
        var confidenceCorrect = torch.zeros(k, ScalarType.Float64, device);
        var offsets = torch.arange(k, ScalarType.Int64, device).mul(bins).unsqueeze(1);
        for (int start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            int length = Math.Min(batchSize, count - start);
            var x = shared
                ? model.Repeat(data[0].Images.narrow(0, start, length))
                : model.Stack(data.Select(d => d.Images.narrow(0, start, length)).ToArray());
            var y = torch.stack(data.Select(d => d.Labels.narrow(0, start, length)).ToArray()); // [K, B]
            var logits = model.forward(x); // [K, B, classes]
            var perExample = ClassificationLoss.PerExample(logits.reshape(k * length, -1), y.reshape(-1), scheme).view((long)k, length);
            lossSum.add_(perExample.to(ScalarType.Float64).sum(1));
            var (confidence, predicted) = nn.functional.softmax(logits, 2).max(2);
            var correct = predicted.eq(y).to(ScalarType.Float64);
            // A diverged member's NaN must not turn into a wild bin index; its numbers are discarded anyway.
            var confidence64 = confidence.to(ScalarType.Float64).nan_to_num(0);
            var bin = (confidence64 * bins).floor().clamp(0, bins - 1).to(ScalarType.Int64).add(offsets).reshape(-1);
            binCount.index_add_(0, bin, torch.ones_like(confidence64).reshape(-1), 1.0);
            binConfidence.index_add_(0, bin, confidence64.reshape(-1), 1.0);
            binCorrect.index_add_(0, bin, correct.reshape(-1), 1.0);
            confidenceCorrect.add_((confidence64 * correct).sum(1));
        }
        double n = count;
        var losses = lossSum.data<double>().ToArray();
        var counts = binCount.data<double>().ToArray();
        var confidences = binConfidence.data<double>().ToArray();
        var corrects = binCorrect.data<double>().ToArray();
        var sumsCorrect = confidenceCorrect.data<double>().ToArray();
        var results = new TestSetMetrics[k];
        for (int m = 0; m < k; m++)
        {
            double nCorrect = 0, sumConfidence = 0, ece = 0;
            for (int b = m * bins; b < (m + 1) * bins; b++)
            {
                nCorrect += corrects[b];
                sumConfidence += confidences[b];
            }
            for (int b = m * bins; b < (m + 1) * bins; b++)
                if (counts[b] > 0) ece += counts[b] / n * Math.Abs(corrects[b] / counts[b] - confidences[b] / counts[b]);
            double nWrong = n - nCorrect;
            results[m] = new TestSetMetrics(
                name,
                losses[m] / n,
                nCorrect / n,
                nCorrect > 0 ? sumsCorrect[m] / nCorrect : double.NaN,
                nWrong > 0 ? (sumConfidence - sumsCorrect[m]) / nWrong : double.NaN,
                ece);
        }
        return results;
    }
}
