using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class TestSetTotalsTests
{
    [Theory]
    [InlineData(InitScheme.Keras)]
    [InlineData(InitScheme.Torch)]
    public void A_fused_groups_members_are_measured_as_if_alone(InitScheme scheme)
    {
        // Given two members' logits and labels, in two batches
        using var generator = new Generator(7);
        var logits = Enumerable.Range(0, 2).Select(_ => torch.randn([2, 9, 5], generator: generator) * 3).ToArray();
        var labels = Enumerable.Range(0, 2).Select(_ => torch.randint(5, [2, 9], generator: generator)).ToArray();

        // When they are summed as a group [K, B], and each member alone [B]
        using var group = new TestSetTotals(2, CPU);
        foreach (var (l, y) in logits.Zip(labels)) group.Add(l, y, scheme);
        var fused = group.Read("test", 18);
        var alone = Enumerable.Range(0, 2).Select(m =>
        {
            using var one = new TestSetTotals(1, CPU);
            foreach (var (l, y) in logits.Zip(labels)) one.Add(l[m], y[m], scheme);
            return one.Read("test", 18).Single();
        }).ToArray();

        // Then every number agrees (to float64 rounding: a group sums over a dimension, one model over all)
        for (int m = 0; m < 2; m++)
        {
            Assert.Equal(alone[m].Name, fused[m].Name);
            Assert.Equal(alone[m].Loss, fused[m].Loss, 1e-12);
            Assert.Equal(alone[m].Accuracy, fused[m].Accuracy, 1e-12);
            Assert.Equal(alone[m].MeanConfidenceCorrect, fused[m].MeanConfidenceCorrect, 1e-12);
            Assert.Equal(alone[m].MeanConfidenceWrong, fused[m].MeanConfidenceWrong, 1e-12);
            Assert.Equal(alone[m].ExpectedCalibrationError, fused[m].ExpectedCalibrationError, 1e-12);
        }
        Assert.NotEqual(alone[0].Loss, alone[1].Loss);
    }

    [Fact]
    public void A_diverged_model_measures_as_a_NaN_loss_not_an_error()
    {
        // Given a model whose weights went NaN (its running loss of the epoch was still finite)
        using var logits = torch.full([4, 3], double.NaN, ScalarType.Float32);
        using var labels = torch.tensor(new long[] { 0, 1, 2, 0 });

        // When it is measured
        using var totals = new TestSetTotals(1, CPU);
        totals.Add(logits, labels, InitScheme.Keras);
        var metrics = totals.Read("test", 4).Single();

        // Then its loss says so (a NaN confidence once became a bin index out of range)
        Assert.True(double.IsNaN(metrics.Loss));
    }
}
