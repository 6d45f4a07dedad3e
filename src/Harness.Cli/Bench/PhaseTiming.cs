using System.Text.Json.Serialization;

namespace Harness.Cli.Bench;

/// <summary>Median milliseconds of one phase of a training step (batch, forward, loss, backward, optimizer, ...).</summary>
internal sealed record PhaseTiming(
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("ms")] double Milliseconds);
