using System.Globalization;

namespace Harness.Specs;

/// <summary>
/// Typed, strict reading of one mapping: every key read is remembered, and <see cref="Finish"/> reports the keys
/// nobody asked for as unknown. Errors go to a shared list with the node's position and key path.
/// </summary>
internal sealed class SpecFields
{
    private readonly SpecMapping map;
    private readonly string path;
    private readonly List<SpecError> errors;
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    private SpecFields(SpecMapping map, string path, List<SpecError> errors) => (this.map, this.path, this.errors) = (map, path, errors);

    /// <summary>Fields of <paramref name="node"/>, or null (with an error) when it is not a mapping.</summary>
    public static SpecFields? Of(SpecNode? node, string path, List<SpecError> errors, string fallbackFile)
    {
        if (node is SpecMapping m) return new SpecFields(m, path, errors);
        Error(errors, node, fallbackFile, path, "expected a mapping (key: value lines)");
        return null;
    }

    public List<SpecError> Errors => errors;

    public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

    public SpecNode At => map;

    /// <summary>The node of <paramref name="key"/>, or null when absent (and an error when <paramref name="required"/>).</summary>
    public SpecNode? Node(string key, bool required = false)
    {
        read.Add(key);
        foreach (var entry in map.Entries)
            if (entry.Key.Value == key)
                return entry.Value is SpecScalar { Plain: true, Value: "" or "~" or "null" } && !required ? null : entry.Value;
        if (required) Error(errors, map, map.File, PathOf(key), "missing required key");
        return null;
    }

    public IEnumerable<KeyValuePair<SpecScalar, SpecNode>> Entries => map.Entries;

    public void MarkAllRead() { foreach (var e in map.Entries) read.Add(e.Key.Value); }

    /// <summary>Reports every key that was not read.</summary>
    public void Finish()
    {
        foreach (var entry in map.Entries)
            if (!read.Contains(entry.Key.Value))
                errors.Add(new SpecError(entry.Key.File, entry.Key.Line, entry.Key.Column, PathOf(entry.Key.Value),
                    $"unknown key{Suggestion(entry.Key.Value)}"));
    }

    private string Suggestion(string key)
    {
        var best = read.Select(k => (k, d: Distance(k, key))).OrderBy(x => x.d).FirstOrDefault();
        return best.k is not null && best.d <= 2 ? $" (did you mean '{best.k}'?)" : $" (expected one of: {string.Join(", ", read.Order(StringComparer.Ordinal))})";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }

    public string? String(string key, string? fallback, bool required = false) =>
        Node(key, required) is { } n ? AsString(n, PathOf(key)) : fallback;

    public int Int(string key, int fallback, int min = int.MinValue, bool required = false, int max = int.MaxValue) =>
        Node(key, required) is { } n ? AsInt(n, PathOf(key), min, max) ?? fallback : fallback;

    public double Double(string key, double fallback, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool exclusiveMin = false, bool exclusiveMax = false) =>
        Node(key) is { } n ? AsDouble(n, PathOf(key), min, max, exclusiveMin, exclusiveMax) ?? fallback : fallback;

    public bool Bool(string key, bool fallback)
    {
        if (Node(key) is not { } n) return fallback;
        if (n is SpecScalar { Plain: true, Value: "true" or "false" } s) return s.Value == "true";
        Error(n, PathOf(key), "expected true or false");
        return fallback;
    }

    public string Choice(string key, string fallback, IReadOnlyCollection<string> allowed)
    {
        var value = String(key, null);
        if (value is null) return fallback;
        if (allowed.Contains(value)) return value;
        Error(Node(key), PathOf(key), $"'{value}' is not one of: {string.Join(", ", allowed)}");
        return fallback;
    }

    public string? AsString(SpecNode n, string at)
    {
        if (n is SpecScalar s) return s.Value;
        Error(n, at, "expected a single value, not a list or mapping");
        return null;
    }

    public int? AsInt(SpecNode n, string at, int min = int.MinValue, int max = int.MaxValue)
    {
        if (n is SpecScalar { Plain: true } s && int.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
        {
            if (v < min) { Error(n, at, $"must be at least {min}, got {v}"); return null; }
            if (v > max) { Error(n, at, $"must be at most {max.ToString("N0", CultureInfo.InvariantCulture)}, got {v} (see \"Limits\" in the README)"); return null; }
            return v;
        }
        // A whole number too large for an int is out of range, not malformed: say so.
        if (n is SpecScalar { Plain: true } big && max != int.MaxValue && System.Numerics.BigInteger.TryParse(big.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var huge) && huge > max)
        {
            Error(n, at, $"must be at most {max.ToString("N0", CultureInfo.InvariantCulture)}, got {big.Value} (see \"Limits\" in the README)");
            return null;
        }
        Error(n, at, $"expected a whole number{(n is SpecScalar sc ? $", got '{sc.Value}'" : "")}");
        return null;
    }

    public double? AsDouble(SpecNode n, string at, double min = double.NegativeInfinity, double max = double.PositiveInfinity, bool exclusiveMin = false, bool exclusiveMax = false)
    {
        if (n is SpecScalar { Plain: true } s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v))
        {
            bool low = exclusiveMin ? v <= min : v < min, high = exclusiveMax ? v >= max : v > max;
            if (!low && !high) return v;
            string range = $"{(exclusiveMin ? "(" : "[")}{Format(min)}, {Format(max)}{(exclusiveMax ? ")" : "]")}";
            Error(n, at, $"must be in {range}, got {s.Value}");
            return null;
        }
        Error(n, at, $"expected a number{(n is SpecScalar sc ? $", got '{sc.Value}'" : "")}");
        return null;
    }

    /// <summary>An error at <paramref name="key"/> when <paramref name="folder"/> (relative to the spec file) does not exist; nothing for an empty one.</summary>
    public void CheckFolder(string key, string folder, string at, string sourcePath)
    {
        if (folder.Length == 0) return;
        string resolved = SpecPaths.Resolve(sourcePath, folder);
        if (!Directory.Exists(resolved)) Error(Node(key), at, $"folder not found: {resolved}");
    }

    private static string Format(double v) => double.IsInfinity(v) ? (v > 0 ? "∞" : "-∞") : v.ToString(CultureInfo.InvariantCulture);

    public void Error(SpecNode? node, string at, string message) => Error(errors, node ?? map, map.File, at, message);

    private static void Error(List<SpecError> errors, SpecNode? node, string fallbackFile, string at, string message) =>
        errors.Add(new SpecError(node?.File ?? fallbackFile, node?.Line ?? 1, node?.Column ?? 1, at, message));
}
