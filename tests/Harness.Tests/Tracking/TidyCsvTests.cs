using System.Globalization;
using Harness.Tracking;

namespace Harness.Tests.Tracking;

public sealed class TidyCsvTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("csv-").FullName;

    [Fact]
    public void Numbers_are_written_in_invariant_culture_whatever_the_current_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("0.625", TidyCsv.Format(0.625));
            Assert.Equal("NaN", TidyCsv.Format(double.NaN));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Cells_with_commas_quotes_and_newlines_round_trip()
    {
        string path = Path.Combine(temp, "t.csv");
        TidyCsv.Write(path, ["condition", "note"], [["a,b", "say \"hi\"\nthere"], ["plain", ""]]);
        var table = TidyCsv.Read(path);
        Assert.Equal(["condition", "note"], table.Columns);
        Assert.Equal("a,b", table.Text(0, "condition"));
        Assert.Equal("say \"hi\"\nthere", table.Text(0, "note"));
        Assert.Equal("", table.Text(1, "note"));
    }

    [Fact]
    public void A_ragged_row_is_reported_with_file_and_line()
    {
        string path = Path.Combine(temp, "bad.csv");
        File.WriteAllText(path, "a,b\n1,2\n3\n");
        var e = Assert.Throws<InvalidDataException>(() => TidyCsv.Read(path));
        Assert.Contains("bad.csv:3", e.Message);
    }

    [Fact]
    public void A_non_number_is_reported_with_line_and_column()
    {
        string path = Path.Combine(temp, "n.csv");
        File.WriteAllText(path, "epoch,test_accuracy\n1,0,5\n".Replace("0,5", "zero"));
        var e = Assert.Throws<InvalidDataException>(() => TidyCsv.Read(path).Number(0, "test_accuracy"));
        Assert.Contains(":2: column 'test_accuracy'", e.Message);
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);
}
