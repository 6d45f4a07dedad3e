namespace Harness.Specs;

/// <summary>
/// Which channels reach the network. <c>rgb</c>: three channels. <c>mono</c>: one channel, the stated
/// <see cref="MonoReduction"/> of the source channels. Named channels (<c>[red, green]</c>, <c>green</c>,
/// or indices <c>[0, 1]</c>): those channels only, in that order.
/// </summary>
/// <param name="Kind"><c>rgb</c>, <c>mono</c> or <c>channels</c>.</param>
/// <param name="Channels">For <c>channels</c>: the chosen channel names or indices.</param>
/// <param name="MonoReduction">For <c>mono</c>: <c>mean</c> (default), <c>max</c> or <c>luminance</c>.</param>
public sealed record ColorMode(string Kind, IReadOnlyList<string> Channels, string MonoReduction = "mean")
{
    /// <summary>Three channels, red, green and blue.</summary>
    public static ColorMode Rgb { get; } = new("rgb", []);
    /// <summary>One channel, the mean of the source channels.</summary>
    public static ColorMode Mono { get; } = new("mono", []);

    /// <summary>Number of input channels the network sees.</summary>
    public int ChannelCount => Kind switch { "rgb" => 3, "mono" => 1, _ => Channels.Count };

    /// <summary>The short name used in run names, CSV columns and figures: rgb, mono, red+green.</summary>
    public override string ToString() => Kind == "channels" ? string.Join("+", Channels) : Kind;

    /// <inheritdoc />
    public bool Equals(ColorMode? other) =>
        other is not null && Kind == other.Kind && MonoReduction == other.MonoReduction && Channels.SequenceEqual(other.Channels);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, MonoReduction, string.Join(",", Channels));
}
