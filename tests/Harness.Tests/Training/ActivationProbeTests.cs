using Harness.Models;
using Harness.Specs;
using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class ActivationProbeTests
{
    /// <summary>
    /// conv1 (1x1, 2 channels): channel 0 = x (alive), channel 1 = relu(-x) = 0 for inputs >= 0 (dead).
    /// fc1 (3 units): unit 0 = the first pixel (alive), unit 1 = relu(-1) (dead), unit 2 = relu(-second pixel) (dead).
    /// fc2: logit 0 = 2 * unit 0, logit 1 = 0. Dead: 3 of 5 units. Images i = 0..3 have first pixel 0.1 (i + 1), so the
    /// top-two margins are 0.2, 0.4, 0.6, 0.8: population SD sqrt(0.05).
    /// </summary>
    [Fact]
    public void Dead_units_and_logit_spread_match_a_hand_computed_network()
    {
        var stack = new LayerStack(new ModelShape(1, 2, 2, 2)).Conv(2, kernel: 1).FlattenFeatures().Dense(3).Output();
        using var generator = new Generator(1);
        using var model = new SequentialNetwork("probe", stack, InitScheme.Keras, generator);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (torch.no_grad())
        {
            parameters["layers.conv1.conv.weight"].copy_(torch.tensor(new float[] { 1, -1 }, [2, 1, 1, 1]));
            parameters["layers.conv1.conv.bias"].zero_();
            var fc1 = new float[3 * 8];
            fc1[0 * 8 + 0] = 1;   // unit 0: pixel 0 of channel 0
            fc1[2 * 8 + 1] = -1;  // unit 2: minus pixel 1 of channel 0
            parameters["layers.fc1.linear.weight"].copy_(torch.tensor(fc1, [3, 8]));
            parameters["layers.fc1.linear.bias"].copy_(torch.tensor(new float[] { 0, -1, 0 }));
            parameters["layers.fc2.weight"].copy_(torch.tensor(new float[] { 2, 0, 0, 0, 0, 0 }, [2, 3]));
            parameters["layers.fc2.bias"].zero_();
        }
        var pixels = Enumerable.Range(0, 4).SelectMany(i => new[] { 0.1f * (i + 1), 0.2f, 0.3f, 0.4f }).ToArray();
        using var batch = torch.tensor(pixels, [4, 1, 2, 2]);

        var probe = ActivationProbe.Measure(model, batch);

        Assert.Equal([("conv1", 2L, 1L), ("fc1", 3L, 2L)], probe.Layers.Select(l => (l.Layer, l.Units, l.Dead)));
        Assert.Equal(0.6, probe.DeadUnitFraction, 12);
        Assert.Equal(Math.Sqrt(0.05), probe.LogitSpread, 6);
    }

    [Fact]
    public void Constant_outputs_have_zero_spread()
    {
        using var logits = torch.tensor(new float[] { 1, 2, 1, 2, 1, 2 }, [3, 2]);
        Assert.Equal(0, ActivationProbe.LogitSpread(logits));
    }

    [Fact]
    public void The_probe_batch_is_spread_over_the_whole_training_set()
    {
        Assert.Equal([0L, 25, 50, 75], ActivationProbe.Indices(100, 4));
        Assert.Equal([0L, 1, 2], ActivationProbe.Indices(3, 64));
    }
}
