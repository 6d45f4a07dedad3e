using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training;

/// <summary>
/// The sums behind <see cref="TestSetMetrics"/>, for one model or for each member of a fused group at once: loss,
/// confidence-binned counts, confidences and correct predictions (for the ECE), and the confidence of correct
/// predictions. They are summed in float64 on the device, batch by batch, and read once at the end.
/// </summary>
internal sealed class TestSetTotals : IDisposable
{
    private const int Bins = Evaluation.CalibrationBins;
    private readonly int members;
    private readonly Tensor lossSum, binCount, binConfidence, binCorrect, confidenceCorrect, binOffsets;

    /// <summary>Zero totals for <paramref name="members"/> models on <paramref name="device"/>.</summary>
    public TestSetTotals(int members, Device device)
    {
        this.members = members;
        lossSum = torch.zeros(members, ScalarType.Float64, device);
        binCount = torch.zeros(members * Bins, ScalarType.Float64, device);
        binConfidence = torch.zeros(members * Bins, ScalarType.Float64, device);
        binCorrect = torch.zeros(members * Bins, ScalarType.Float64, device);
        confidenceCorrect = torch.zeros(members, ScalarType.Float64, device);
        binOffsets = torch.arange(members, ScalarType.Int64, device).mul(Bins).unsqueeze(1); // member k's bins: k*Bins..
    }

    /// <summary>
    /// Adds a batch: one model's <paramref name="logits"/> [B, classes] and <paramref name="labels"/> [B], or a fused
    /// group's [K, B, classes] and [K, B]; each image counted <paramref name="weights"/> times: [B] for every member alike,
    /// [K, B] per member (float64; null: once each).
    /// </summary>
    public void Add(Tensor logits, Tensor labels, InitScheme scheme, Tensor? weights = null)
    {
        using var scope = torch.NewDisposeScope();
        var loss = ClassificationLoss.PerExample(logits, labels, scheme).to(ScalarType.Float64);
        var (confidence, predicted) = nn.functional.softmax(logits, -1).max(-1);
        var correct = predicted.eq(labels).to(ScalarType.Float64);
        // A diverged model's NaN must not turn into a wild bin index (a group's other members are measured on).
        var confidence64 = confidence.to(ScalarType.Float64).nan_to_num(0);
        var bin = (confidence64 * Bins).floor().clamp(0, Bins - 1).to(ScalarType.Int64);
        if (bin.dim() == 2) bin = bin.add(binOffsets);
        bin = bin.reshape(-1);
        // Without weights every sum is the one it always was (same operations, same rounding).
        var count = torch.ones_like(confidence64);
        var weightedConfidence = confidence64;
        if (weights is not null)
        {
            count = weights.expand_as(confidence64);
            loss = loss * count;
            correct = correct * count;
            weightedConfidence = confidence64 * count;
        }
        lossSum.add_(SumOverBatch(loss));
        binCount.index_add_(0, bin, count.reshape(-1), 1.0);
        binConfidence.index_add_(0, bin, weightedConfidence.reshape(-1), 1.0);
        binCorrect.index_add_(0, bin, correct.reshape(-1), 1.0);
        confidenceCorrect.add_(SumOverBatch(confidence64 * correct));
    }

    /// <summary>Each member's metrics on the <paramref name="images"/> images added (counted with their weights), named <paramref name="name"/>.</summary>
    public TestSetMetrics[] Read(string name, int images)
    {
        double n = images;
        var losses = lossSum.data<double>().ToArray();
        var counts = binCount.data<double>().ToArray();
        var confidences = binConfidence.data<double>().ToArray();
        var corrects = binCorrect.data<double>().ToArray();
        var sumsCorrect = confidenceCorrect.data<double>().ToArray();
        var results = new TestSetMetrics[members];
        for (int m = 0; m < members; m++)
        {
            double nCorrect = 0, sumConfidence = 0, ece = 0;
            for (int b = m * Bins; b < (m + 1) * Bins; b++)
            {
                nCorrect += corrects[b];
                sumConfidence += confidences[b];
            }
            for (int b = m * Bins; b < (m + 1) * Bins; b++)
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

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in new[] { lossSum, binCount, binConfidence, binCorrect, confidenceCorrect, binOffsets }) t.Dispose();
    }

    /// <summary>
    /// The sum over a batch, per member: one model's is the sum of all its values at once, the reduction (and rounding)
    /// it always had; a group's [K, B] is summed over B.
    /// </summary>
    private static Tensor SumOverBatch(Tensor values) => values.dim() == 1 ? values.sum() : values.sum(1);
}
