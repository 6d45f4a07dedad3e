using Harness.Specs;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Training.SeedParallel;

/// <summary>
/// <see cref="Evaluation.Measure"/> for every member of a <see cref="FusedEnsemble"/> at once: the same sums
/// (<see cref="TestSetTotals"/>), kept per member.
/// </summary>
public static class FusedEvaluation
{
    /// <summary>
    /// Measures member k on <paramref name="data"/>[k] (the same set K times for a test set; each member's own
    /// training set for the clean training measurement); the sets must have equal sizes.
    /// </summary>
    public static IReadOnlyList<TestSetMetrics> Measure(string name, FusedEnsemble model, IReadOnlyList<DeviceImages> data, InitScheme scheme, int batchSize)
    {
        int k = model.Members, count = data[0].Count;
        if (data.Count != k || data.Any(d => d.Count != count)) throw new ArgumentException("one set per member, all of the same size, is needed", nameof(data));
        // A fused batch holds K members' images: keep the total what one standalone batch holds, unless the large
        // early layers run member by member (their activations then exist for one member at a time).
        batchSize = Evaluation.BatchSize(batchSize, data[0]);
        if (!model.InputMemberMajor) batchSize = Math.Max(1, (batchSize + k - 1) / k);
        bool shared = data.All(d => ReferenceEquals(d, data[0]));
        if (!shared && data.Any(d => d.Weights is not null)) throw new ArgumentException("members' own sets are measured image by image, not as distinct images", nameof(data));
        if (data[0].Weights is { } w && w.dim() == 2 && w.shape[0] != k) throw new ArgumentException($"weights for {w.shape[0]} members, not {k}", nameof(data));
        return Evaluation.MeasureMembers(name, model, k, data[0], batchSize, scheme, (start, length) =>
        {
            var x = shared
                ? model.Repeat(data[0].Images.narrow(0, start, length))
                : model.Stack(data.Select(d => d.Images.narrow(0, start, length)).ToArray());
            var y = torch.stack(data.Select(d => d.Labels.narrow(0, start, length)).ToArray()); // [K, B]
            return (model.forward(x), y); // logits [K, B, classes]
        });
    }
}
