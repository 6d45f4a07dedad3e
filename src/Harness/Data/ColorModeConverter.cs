using Harness.Specs;

namespace Harness.Data;

/// <summary>
/// Turns three source channels (R, G, B) into the channels the network sees, as a <see cref="ColorMode"/> says:
/// <c>rgb</c> keeps all three; <c>mono</c> reduces them to one (<c>mean</c>, <c>max</c>, or <c>luminance</c>
/// 0.299 R + 0.587 G + 0.114 B); <c>channels</c> keeps the named ones (<c>red</c>/<c>r</c>/<c>0</c>,
/// <c>green</c>/<c>g</c>/<c>1</c>, <c>blue</c>/<c>b</c>/<c>2</c>, case-insensitive) in the order given.
/// </summary>
public static class ColorModeConverter
{
    /// <summary>The source channel index of each output channel for <c>rgb</c> and <c>channels</c> modes.</summary>
    public static int[] SourceChannels(ColorMode mode) => mode.Kind switch
    {
        "rgb" => [0, 1, 2],
        "channels" when mode.Channels.Count == 0 => throw new ArgumentException("Colour mode 'channels' names no channel."),
        "channels" => mode.Channels.Select(ChannelIndex).ToArray(),
        "mono" => throw new ArgumentException("Colour mode 'mono' reduces channels; it does not select them."),
        _ => throw new ArgumentException($"Unknown colour mode '{mode.Kind}'; use rgb, mono or channels."),
    };

    /// <summary>The source index of a channel name or index.</summary>
    public static int ChannelIndex(string name) => name.Trim().ToLowerInvariant() switch
    {
        "red" or "r" or "0" => 0,
        "green" or "g" or "1" => 1,
        "blue" or "b" or "2" => 2,
        _ => throw new ArgumentException($"Unknown channel '{name}'; use red, green, blue (r, g, b) or 0, 1, 2."),
    };

    /// <summary>Converts one image (3 x height x width) to mode.ChannelCount x height x width.</summary>
    public static float[] Convert(ReadOnlySpan<float> rgb, int height, int width, ColorMode mode)
    {
        var result = new float[mode.ChannelCount * height * width];
        Convert(rgb, height, width, mode, result);
        return result;
    }

    /// <summary>Converts one image (3 x height x width) into <paramref name="destination"/> (mode.ChannelCount x height x width).</summary>
    public static void Convert(ReadOnlySpan<float> rgb, int height, int width, ColorMode mode, Span<float> destination)
    {
        var plane = height * width;
        if (rgb.Length != 3 * plane) throw new ArgumentException($"Expected 3x{height}x{width} floats, got {rgb.Length}.", nameof(rgb));
        if (destination.Length != mode.ChannelCount * plane)
            throw new ArgumentException($"Destination needs {mode.ChannelCount * plane} floats, has {destination.Length}.", nameof(destination));
        var r = rgb[..plane];
        var g = rgb.Slice(plane, plane);
        var b = rgb.Slice(2 * plane, plane);
        if (mode.Kind == "mono")
        {
            switch (mode.MonoReduction)
            {
                case "mean":
                    for (var i = 0; i < plane; i++) destination[i] = (r[i] + g[i] + b[i]) / 3f;
                    break;
                case "max":
                    for (var i = 0; i < plane; i++) destination[i] = Math.Max(r[i], Math.Max(g[i], b[i]));
                    break;
                case "luminance":
                    for (var i = 0; i < plane; i++) destination[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
                    break;
                default:
                    throw new ArgumentException($"Unknown mono reduction '{mode.MonoReduction}'; use mean, max or luminance.");
            }
            return;
        }
        var sources = SourceChannels(mode);
        for (var c = 0; c < sources.Length; c++)
            rgb.Slice(sources[c] * plane, plane).CopyTo(destination.Slice(c * plane, plane));
    }
}
