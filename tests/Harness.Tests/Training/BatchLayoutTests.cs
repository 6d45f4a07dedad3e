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
    public void A_one_channel_batch_gets_channels_last_strides_and_the_first_convolution_keeps_that_layout()
    {
        // With one channel, permute + contiguous keeps the standard strides, and the network then ran in the standard
        // layout (2-3x slower for the monocolour specs). A view (an evaluation batch) keeps its offset into the data.
        using var generator = new Generator(5);
        using var data = torch.rand([3, 1, 4, 5], generator: generator);
        using var view = data.narrow(0, 1, 2);

        using var prepared = BatchLayout.Prepare(view, channelsLast: true);

        Assert.Equal(view.shape, prepared.shape);
        Assert.Equal(new long[] { 20, 1, 5, 1 }, prepared.stride());
        Assert.True(prepared.allclose(view, rtol: 0, atol: 0));
        using var weight = torch.rand([16, 1, 3, 3], generator: generator);
        using var output = nn.functional.conv2d(prepared, weight, padding: [1, 1]);
        Assert.Equal(new long[] { 320, 1, 80, 16 }, output.stride()); // channels-last: N x H x W x C in memory
        using var standard = nn.functional.conv2d(view, weight, padding: [1, 1]);
        Assert.Equal(new long[] { 320, 20, 5, 1 }, standard.stride());
    }

    [Fact]
    public void Feature_vectors_are_left_alone()
    {
        using var features = torch.ones(4, 10);
        Assert.Same(features, BatchLayout.Prepare(features, channelsLast: true));
    }
}
