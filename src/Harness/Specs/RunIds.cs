using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Harness.Specs;

/// <summary>
/// RunIds: the first 12 hex characters of SHA-256 over a canonical JSON form of the resolved run (every field but
/// the id; object keys sorted; numbers in round-trip form; invariant culture). Same content, same id, anywhere.
/// </summary>
public static class RunIds
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The canonical text hashed for <paramref name="run"/> (its RunId excluded).</summary>
    public static string Canonical(RunSpec run)
    {
        var node = JsonSerializer.SerializeToNode(run with { RunId = "" }, Options)!.AsObject();
        // Only stored values are hashed: computed conveniences may come and go without orphaning results.
        node.Remove("run_id");
        node.Remove("display_name");
        if (node["image"]?["color_mode"] is JsonObject colorMode) colorMode.Remove("channel_count");
        if (node["data"]?["synthetic"]?["fields"] is JsonObject fields)
        {
            fields.Remove("copies_are_identical");
            // Rotated copies were the only kind before the key existed: leaving them out keeps those RunIds.
            if (fields["copies"]?.GetValue<string>() == SyntheticFieldsSpec.RotatedCopies) fields.Remove("copies");
        }
        return Sorted(node)!.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>The id of <paramref name="run"/>.</summary>
    public static string Of(RunSpec run) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(run))))[..12];

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(x => Sorted(x?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}
