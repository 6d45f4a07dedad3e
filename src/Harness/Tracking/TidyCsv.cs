using System.Globalization;
using System.Text;

namespace Harness.Tracking;

/// <summary>
/// Tidy CSV files (RFC 4180 quoting, invariant culture, '\n' line ends) that R, pandas and the report read alike.
/// Numbers are written in their shortest round-trip form; NaN as <c>NaN</c>.
/// </summary>
public static class TidyCsv
{
    /// <summary>A number as written in every CSV of the harness.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One CSV line (without the newline).</summary>
    public static string Line(IEnumerable<string> cells) => string.Join(",", cells.Select(Quote));

    /// <summary>Writes a whole table atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append(Line(columns)).Append('\n');
        foreach (var row in rows) text.Append(Line(row)).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads a table; a ragged row is an error naming file and line.</summary>
    public static TidyTable Read(string path)
    {
        var records = Parse(File.ReadAllText(path));
        if (records.Count == 0) return new TidyTable(path, [], []);
        var header = records[0];
        for (int i = 1; i < records.Count; i++)
            if (records[i].Count != header.Count)
                throw new InvalidDataException($"{path}:{i + 1}: {records[i].Count} fields, the header has {header.Count}");
        return new TidyTable(path, header, records.Skip(1).ToArray());
    }

    /// <summary>
    /// Reads the sound part of a table that may have been cut short (a full disk, a killed copy): the header and the
    /// rows before the first damaged one. A last row without its newline is damaged (every writer here ends each row
    /// with one), as is a ragged row. <paramref name="damage"/> says which line and why, or is null for a sound file.
    /// </summary>
    public static TidyTable ReadSound(string path, out string? damage)
    {
        damage = null;
        string text = File.ReadAllText(path);
        var records = Parse(text);
        if (text.Length > 0 && text[^1] != '\n' && records.Count > 0)
        {
            damage = $"{path}:{records.Count}: the last line is incomplete (no newline at its end)";
            records.RemoveAt(records.Count - 1);
        }
        if (records.Count == 0) return new TidyTable(path, [], []);
        var header = records[0];
        for (int i = 1; i < records.Count; i++)
            if (records[i].Count != header.Count)
            {
                damage = $"{path}:{i + 1}: {records[i].Count} fields, the header has {header.Count}";
                return new TidyTable(path, header, records.Skip(1).Take(i - 1).ToArray());
            }
        return new TidyTable(path, header, records.Skip(1).ToArray());
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static List<IReadOnlyList<string>> Parse(string text)
    {
        var records = new List<IReadOnlyList<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, any = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"': quoted = true; any = true; break;
                case ',': fields.Add(field.ToString()); field.Clear(); any = true; break;
                case '\r': break;
                case '\n':
                    if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
                    fields.Clear(); field.Clear(); any = false;
                    break;
                default: field.Append(c); any = true; break;
            }
        }
        if (any || field.Length > 0) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
        return records;
    }
}
