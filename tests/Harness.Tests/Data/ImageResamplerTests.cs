using Harness.Data;

namespace Harness.Tests.Data;

public sealed class ImageResamplerTests
{
    private static readonly float[] Ramp = Enumerable.Range(0, 16).Select(i => (float)i).ToArray(); // 1 x 4 x 4

    [Fact]
    public void Area_downscale_averages_blocks()
    {
        var result = ImageResampler.Resize(Ramp, 1, 4, 4, 2, 2, "area");
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], result);
    }

    [Fact]
    public void Nearest_downscale_picks_pixels()
    {
        var result = ImageResampler.Resize(Ramp, 1, 4, 4, 2, 2, "nearest");
        Assert.Equal([5f, 7f, 13f, 15f], result);
    }

    [Fact]
    public void Bilinear_keeps_a_constant_image_and_interpolates_a_ramp()
    {
        Assert.All(ImageResampler.Resize(Enumerable.Repeat(0.4f, 3 * 5 * 7).ToArray(), 3, 5, 7, 9, 4, "bilinear"), v => Assert.Equal(0.4f, v, 5));
        var row = ImageResampler.Resize(new float[] { 0, 1 }, 1, 1, 2, 1, 4, "bilinear");
        Assert.Equal([0f, 0.25f, 0.75f, 1f], row);
    }

    [Fact]
    public void Unknown_filter_is_an_error() =>
        Assert.Throws<ArgumentException>(() => ImageResampler.Resize(Ramp, 1, 4, 4, 2, 2, "lanczos"));
}
