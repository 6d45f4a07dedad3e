using System.Text.Json.Serialization;

namespace Harness.Cli.Parity;

/// <summary>One network parameter in the parity weight files: its name in the harness, shape, and offset (in values).</summary>
internal sealed record ParityParameter(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("shape")] long[] Shape,
    [property: JsonPropertyName("offset")] long Offset);
