using Harness.Data;
using Harness.Specs;

namespace Harness.Tests.Data;

public sealed class ColorModeConverterTests
{
    // One pixel: R 0.2, G 0.6, B 0.1.
    private static readonly float[] Pixel = [0.2f, 0.6f, 0.1f];

    [Fact]
    public void Rgb_keeps_three_channels() => Assert.Equal(Pixel, ColorModeConverter.Convert(Pixel, 1, 1, ColorMode.Rgb));

    [Theory]
    [InlineData("mean", 0.3f)]
    [InlineData("max", 0.6f)]
    [InlineData("luminance", 0.299f * 0.2f + 0.587f * 0.6f + 0.114f * 0.1f)]
    public void Mono_reduces_to_one_channel(string reduction, float expected)
    {
        var result = ColorModeConverter.Convert(Pixel, 1, 1, new ColorMode("mono", [], reduction));
        Assert.Single(result);
        Assert.Equal(expected, result[0], 5);
    }

    [Fact]
    public void Named_and_indexed_channels_come_in_the_given_order()
    {
        Assert.Equal([0.6f, 0.2f], ColorModeConverter.Convert(Pixel, 1, 1, new ColorMode("channels", ["green", "red"])));
        Assert.Equal([0.1f, 0.6f], ColorModeConverter.Convert(Pixel, 1, 1, new ColorMode("channels", ["2", "g"])));
        Assert.Equal([0.6f], ColorModeConverter.Convert(Pixel, 1, 1, new ColorMode("channels", ["G"])));
    }

    [Fact]
    public void Unknown_channel_is_an_error_naming_it()
    {
        var e = Assert.Throws<ArgumentException>(() => ColorModeConverter.Convert(Pixel, 1, 1, new ColorMode("channels", ["cyan"])));
        Assert.Contains("cyan", e.Message);
    }
}
