using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Harness.Specs;

/// <summary>
/// Parses YAML into <see cref="SpecNode"/> trees from the parser's events, reporting duplicate keys, anchors and
/// syntax errors with their positions, and applies <c>--set key.path=value</c> overrides to a tree.
/// </summary>
public static class SpecYaml
{
    /// <summary>Parses <paramref name="text"/>; errors are added to <paramref name="errors"/>; null when unusable.</summary>
    public static SpecNode? Parse(string text, string file, List<SpecError> errors, int lineOffset = 0, int columnOffset = 0)
    {
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) { errors.Add(new SpecError(file, 1, 1, "", "the file is empty")); return null; }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, file, "", errors, lineOffset, columnOffset);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _))
                errors.Add(new SpecError(file, 1, 1, "", "more than one YAML document; a spec is one document"));
            return root;
        }
        catch (YamlException e)
        {
            errors.Add(new SpecError(file, (int)e.Start.Line + lineOffset, (int)e.Start.Column + columnOffset, "", "YAML syntax: " + e.Message));
            return null;
        }
    }

    private static SpecNode ReadNode(IParser parser, string file, string path, List<SpecError> errors, int lineOffset, int columnOffset)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of input");
        int line = (int)current.Start.Line + lineOffset, column = (int)current.Start.Column + columnOffset;
        if (current is NodeEvent { Anchor.IsEmpty: false } || current is AnchorAlias)
            errors.Add(new SpecError(file, line, column, path, "anchors and aliases are not allowed in specs (write values out)"));
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new SpecScalar(file, line, column, scalar.Value, scalar.Style == ScalarStyle.Plain);
            case SequenceStart:
            {
                parser.MoveNext();
                var items = new List<SpecNode>();
                while (!parser.TryConsume<SequenceEnd>(out _))
                    items.Add(ReadNode(parser, file, $"{path}[{items.Count}]", errors, lineOffset, columnOffset));
                return new SpecSequence(file, line, column, items);
            }
            case MappingStart:
            {
                parser.MoveNext();
                var entries = new List<KeyValuePair<SpecScalar, SpecNode>>();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, file, path, errors, lineOffset, columnOffset);
                    if (keyNode is not SpecScalar key)
                    {
                        errors.Add(new SpecError(file, keyNode.Line, keyNode.Column, path, "keys must be plain names"));
                        ReadNode(parser, file, path, errors, lineOffset, columnOffset);
                        continue;
                    }
                    string childPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
                    var value = ReadNode(parser, file, childPath, errors, lineOffset, columnOffset);
                    if (!seen.Add(key.Value))
                        errors.Add(new SpecError(file, key.Line, key.Column, childPath, "duplicate key"));
                    else entries.Add(new(key, value));
                }
                return new SpecMapping(file, line, column, entries);
            }
            case AnchorAlias:
                parser.MoveNext();
                return new SpecScalar(file, line, column, "", true);
            default:
                throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
        }
    }

    /// <summary>
    /// Applies <c>key.path=value</c> to <paramref name="root"/>: the value is parsed as YAML (a scalar or a flow
    /// list/mapping) and replaces or adds the key, creating missing mappings on the way. Nodes from an override
    /// are located as <c>--set:N:col</c>.
    /// </summary>
    public static SpecNode? ApplyOverride(SpecNode? root, string assignment, int index, List<SpecError> errors)
    {
        const string file = "--set";
        int equals = assignment.IndexOf('=');
        if (equals <= 0)
        {
            errors.Add(new SpecError(file, index + 1, 1, "", $"'{assignment}' is not of the form key.path=value"));
            return root;
        }
        string keyPath = assignment[..equals].Trim();
        string valueText = assignment[(equals + 1)..];
        var value = valueText.Trim().Length == 0
            ? new SpecScalar(file, index + 1, equals + 2, "", true)
            : Parse(valueText, file, errors, index, equals + 1);
        if (value is null) return root;
        var keys = keyPath.Split('.');
        if (keys.Any(k => k.Length == 0))
        {
            errors.Add(new SpecError(file, index + 1, 1, keyPath, "empty key in key path"));
            return root;
        }
        if (root is not SpecMapping map)
        {
            errors.Add(new SpecError(file, index + 1, 1, keyPath, "the spec is not a mapping"));
            return root;
        }
        return Set(map, keys, 0, value, index);
    }

    private static SpecMapping Set(SpecMapping map, string[] keys, int depth, SpecNode value, int index)
    {
        var entries = map.Entries.ToList();
        int at = entries.FindIndex(e => e.Key.Value == keys[depth]);
        SpecNode replacement;
        if (depth == keys.Length - 1) replacement = value;
        else
        {
            var child = at >= 0 && entries[at].Value is SpecMapping m ? m : new SpecMapping("--set", index + 1, 1, []);
            replacement = Set(child, keys, depth + 1, value, index);
        }
        var key = at >= 0 ? entries[at].Key : new SpecScalar("--set", index + 1, 1, keys[depth], true);
        if (at >= 0) entries[at] = new(key, replacement);
        else entries.Add(new(key, replacement));
        return map with { Entries = entries };
    }
}
