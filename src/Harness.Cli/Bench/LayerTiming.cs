using System.Text.Json.Serialization;

namespace Harness.Cli.Bench;

/// <summary>Median milliseconds of one layer's forward pass and of its backward pass, timed alone on its real input.</summary>
internal sealed record LayerTiming(
    [property: JsonPropertyName("layer")] string Layer,
    [property: JsonPropertyName("output")] string Output,
    [property: JsonPropertyName("forward_ms")] double ForwardMilliseconds,
    [property: JsonPropertyName("backward_ms")] double BackwardMilliseconds);
