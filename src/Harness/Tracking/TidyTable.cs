using System.Globalization;

namespace Harness.Tracking;

/// <summary>A CSV table read into memory: a header and rows of strings, with typed accessors (invariant culture).</summary>
/// <param name="Path">File it came from (for error messages).</param>
/// <param name="Columns">Column names in file order.</param>
/// <param name="Rows">Rows; each has one value per column.</param>
public sealed record TidyTable(string Path, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    /// <summary>Index of a column, or -1.</summary>
    public int IndexOf(string column)
    {
        for (int i = 0; i < Columns.Count; i++) if (Columns[i] == column) return i;
        return -1;
    }

    /// <summary>Whether the table has the column.</summary>
    public bool Has(string column) => IndexOf(column) >= 0;

    /// <summary>The text of a cell; throws naming the file and column when the column is missing.</summary>
    public string Text(int row, string column)
    {
        int i = IndexOf(column);
        if (i < 0) throw new InvalidDataException($"{Path}: no column '{column}'");
        return Rows[row][i];
    }

    /// <summary>A numeric cell (empty = NaN); throws naming the file, line and column when unparseable.</summary>
    public double Number(int row, string column)
    {
        string text = Text(row, column);
        if (text.Length == 0) return double.NaN;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        throw new InvalidDataException($"{Path}:{row + 2}: column '{column}': '{text}' is not a number");
    }
}
