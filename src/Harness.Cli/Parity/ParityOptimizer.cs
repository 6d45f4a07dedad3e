using System.Text.Json.Serialization;

namespace Harness.Cli.Parity;

/// <summary>The optimizer of a parity run, as the PyTorch side must rebuild it (Keras time decay and L2 in the loss included).</summary>
internal sealed record ParityOptimizer(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("lr")] double LearningRate,
    [property: JsonPropertyName("beta1")] double Beta1,
    [property: JsonPropertyName("beta2")] double Beta2,
    [property: JsonPropertyName("epsilon")] double Epsilon,
    [property: JsonPropertyName("momentum")] double Momentum,
    [property: JsonPropertyName("decay")] double Decay,
    [property: JsonPropertyName("l2")] double L2);
