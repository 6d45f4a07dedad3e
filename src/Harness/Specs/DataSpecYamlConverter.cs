using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Harness.Specs;

/// <summary>
/// Writes a <see cref="DataSpec"/> into run.yaml as runs have always recorded it (<c>synthetic:</c>, <c>folders:</c>,
/// <c>idx:</c>, ... beside <c>train_subset</c>, <c>skip_unreadable</c> and <c>augment</c>; nulls left out, as the
/// serializer leaves them out everywhere). Reading goes through JSON (<see cref="DataSpecJsonConverter"/>).
/// </summary>
internal sealed class DataSpecYamlConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(DataSpec);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer) =>
        throw new NotSupportedException("run.yaml is read through its JSON form (RunRecordYaml.Deserialize)");

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer)
    {
        emitter.Emit(new MappingStart());
        foreach (var (member, content, _) in DataSpecJsonConverter.Members((DataSpec)value!))
        {
            if (content is null) continue;
            emitter.Emit(new Scalar(UnderscoredNamingConvention.Instance.Apply(member)));
            serializer(content, content.GetType());
        }
        emitter.Emit(new MappingEnd());
    }
}
