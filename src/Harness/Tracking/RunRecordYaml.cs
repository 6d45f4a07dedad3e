using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Harness.Tracking;

/// <summary>
/// Writes <see cref="RunRecord"/> as readable <c>run.yaml</c> (snake_case keys) and reads it back. Reading goes
/// YAML → JSON tree (plain scalars typed as YAML 1.2 core schema does) → records, so no hand-written mapping
/// has to follow every new field.
/// </summary>
public static class RunRecordYaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithTypeConverter(new Specs.DataSpecYamlConverter())
        .Build();

    /// <summary>JSON options matching the YAML naming (snake_case, enums as names).</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The YAML text of a record.</summary>
    public static string Serialize(RunRecord record) => Serializer.Serialize(record);

    /// <summary>Any object as snake_case YAML (used for the resolved spec in the plan and reports).</summary>
    public static string SerializeObject(object value) => Serializer.Serialize(value);

    /// <summary>Writes <c>run.yaml</c> atomically (temporary file, then rename).</summary>
    public static void Write(string path, RunRecord record) => AtomicFile.WriteAllText(path, Serialize(record));

    /// <summary>Reads a <c>run.yaml</c>; errors name the file.</summary>
    public static RunRecord Read(string path)
    {
        try
        {
            return Deserialize<RunRecord>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a readable run record: {e.Message}", e);
        }
    }

    /// <summary>Deserializes YAML written by <see cref="Serialize"/> (or by hand in the same shape).</summary>
    public static T Deserialize<T>(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0) throw new InvalidDataException("empty document");
        var json = ToJson(stream.Documents[0].RootNode);
        return json.Deserialize<T>(JsonOptions) ?? throw new InvalidDataException("empty document");
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"unsupported YAML node at {node.Start}"),
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain) return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create("NaN");
            case ".inf" or ".Inf" or "+.inf": return JsonValue.Create("Infinity");
            case "-.inf" or "-.Inf": return JsonValue.Create("-Infinity");
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
