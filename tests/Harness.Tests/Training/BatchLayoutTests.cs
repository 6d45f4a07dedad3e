using Harness.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tests.Training;

public sealed class BatchLayoutTests
{
    [Fact]
    public void Channels_last_keeps_shape_and_values_and_lays_channels_innermost()
    {
        using var generator = new Generator(3);
        using var batch = torch.rand([2, 3, 4, 5], generator: generator);

        using var prepared = BatchLayout.Prepare(batch, channelsLast: true);

        Assert.Equal(batch.shape, prepared.shape);
        Assert.Equal(new long[] { 60, 1, 15, 3 }, prepared.stride()); // N x H x W x C in memory
        Assert.True(prepared.allclose(batch, rtol: 0, atol: 0));
        Assert.Same(batch, BatchLayout.Prepare(batch, channelsLast: false));
        Assert.True(BatchLayout.DefaultChannelsLast(CPU));
    }

    [Fact]
    public void Feature_vectors_are_left_alone()
    {
        using var features = torch.ones(4, 10);
        Assert.Same(features, BatchLayout.Prepare(features, channelsLast: true));
    }
}
