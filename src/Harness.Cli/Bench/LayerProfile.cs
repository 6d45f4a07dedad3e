using System.Text.Json.Serialization;

namespace Harness.Cli.Bench;

/// <summary>
/// What <c>bench-worker --profile-layers</c> measured: one training batch of a workload, split into the trainer's
/// phases and into the network's layers (forward and backward of each, timed alone). The same keys as
/// <c>scripts/bench/anchor.py --profile-layers</c> prints.
/// </summary>
internal sealed record LayerProfile(
    [property: JsonPropertyName("side")] string Side,
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("channels_last")] bool ChannelsLast,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("phases")] IReadOnlyList<PhaseTiming> Phases,
    [property: JsonPropertyName("layers")] IReadOnlyList<LayerTiming> Layers,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, string> Versions);
