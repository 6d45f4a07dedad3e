using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Data.Sources;

namespace Harness.Specs;

/// <summary>
/// Writes a <see cref="DataSpec"/> as runs have always recorded it, one member per source kind, and reads that shape
/// back (run.yaml goes through JSON when read). RunIds hash this JSON, so its shape is their identity: a source that
/// was a member from the start (<see cref="IDataSource.AlwaysInRunJson"/>) is written even as null, later ones and
/// <c>skip_unreadable</c> and <c>augment</c> only when set, exactly as the record's members were ignored before the
/// sources became a registry. A new source, written only when set, changes no existing RunId.
/// </summary>
internal sealed class DataSpecJsonConverter : JsonConverter<DataSpec>
{
    /// <summary>
    /// The members of the recorded data block in their order, each with its value (null when absent) and whether the JSON
    /// writes it when it holds its default (null, or false).
    /// </summary>
    internal static IEnumerable<(string Member, object? Value, bool WrittenWhenDefault)> Members(DataSpec data)
    {
        foreach (var source in DataSources.All.Where(s => s.AlwaysInRunJson)) yield return (source.Member, SourceOf(data, source), true);
        yield return (nameof(DataSpec.TrainSubset), data.TrainSubset, true);
        yield return (nameof(DataSpec.SkipUnreadable), data.SkipUnreadable, false);
        yield return (nameof(DataSpec.Augment), data.Augment, false);
        foreach (var source in DataSources.All.Where(s => !s.AlwaysInRunJson)) yield return (source.Member, SourceOf(data, source), false);
    }

    public override void Write(Utf8JsonWriter writer, DataSpec value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (member, content, writtenWhenDefault) in Members(value))
        {
            if (!writtenWhenDefault && content is null or false) continue;
            writer.WritePropertyName(Name(member, options));
            JsonSerializer.Serialize(writer, content, content?.GetType() ?? typeof(object), options);
        }
        writer.WriteEndObject();
    }

    public override DataSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("a data block must be an object");
        var data = new DataSpec(null);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            bool Is(string member) => string.Equals(property.Name, Name(member, options), StringComparison.OrdinalIgnoreCase);
            if (Is(nameof(DataSpec.TrainSubset))) data = data with { TrainSubset = value.Deserialize<int>(options) };
            else if (Is(nameof(DataSpec.SkipUnreadable))) data = data with { SkipUnreadable = value.Deserialize<bool>(options) };
            else if (Is(nameof(DataSpec.Augment))) data = data with { Augment = value.Deserialize<AugmentSpec>(options) };
            else if (DataSources.All.FirstOrDefault(s => Is(s.Member)) is { } source)
            {
                if (data.Source is not null) throw new JsonException($"a data block names two sources: {DataSources.Of(data.Source).Key} and {source.Key}");
                data = data with { Source = (IDataSourceSpec?)value.Deserialize(source.SpecType, options) };
            }
            // Anything else (source_count, which earlier builds wrote into run.yaml) is not part of the spec.
        }
        return data;
    }

    private static object? SourceOf(DataSpec data, IDataSource source) => data.Source?.GetType() == source.SpecType ? data.Source : null;

    private static string Name(string member, JsonSerializerOptions options) => options.PropertyNamingPolicy?.ConvertName(member) ?? member;
}
