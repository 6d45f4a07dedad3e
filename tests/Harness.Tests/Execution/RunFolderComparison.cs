using System.Globalization;
using Harness.Tracking;
using SkiaSharp;

namespace Harness.Tests.Execution;

/// <summary>
/// Compares two folders of the same run trained two ways (alone or fused; straight or resumed): the same files, each
/// with the same content up to float rounding and what legitimately differs (times, the execution mode, how it resumed).
/// </summary>
internal static class RunFolderComparison
{
    /// <summary>Numbers of a fused member may differ from its standalone run's by float rounding only.</summary>
    private const double Tolerance = 1e-4;

    /// <summary>Asserts that <paramref name="actual"/> holds every file of <paramref name="expected"/> and nothing else, alike by kind; returns the files.</summary>
    public static string[] AssertSameFiles(string expected, string actual)
    {
        var files = Files(expected);
        Assert.Equal(files, Files(actual));
        foreach (var file in files) AssertSameKind(Path.Combine(expected, file), Path.Combine(actual, file), file);
        return files;
    }

    private static string[] Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".", StringComparison.Ordinal)) // the claim's lock file
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>The same content up to float rounding and what legitimately differs (times, the execution mode, weights' last bits).</summary>
    private static void AssertSameKind(string expected, string actual, string name)
    {
        switch (Path.GetExtension(name))
        {
            case ".csv":
                AssertCloseTables(TidyCsv.Read(expected), TidyCsv.Read(actual), name);
                break;
            case ".png":
                using (var a = SKBitmap.Decode(expected))
                using (var b = SKBitmap.Decode(actual))
                {
                    Assert.Equal((a.Width, a.Height), (b.Width, b.Height));
                    // Attribution maps are scaled to their own maximum: rounding moves a pixel by a level or two at most.
                    double difference = a.Pixels.Zip(b.Pixels, (p, q) => Math.Abs(p.Red - q.Red) + Math.Abs(p.Green - q.Green) + Math.Abs(p.Blue - q.Blue)).Average();
                    Assert.True(difference < 1.0, $"{name}: mean pixel difference {difference}");
                }
                break;
            case ".yaml":
                var (ra, rb) = (RunRecordYaml.Read(expected), RunRecordYaml.Read(actual));
                Assert.Equal(ra.Spec with { GridPoint = rb.Spec.GridPoint }, rb.Spec);
                Assert.Equal(ra.Spec.GridPoint, rb.Spec.GridPoint);
                Assert.Equal((ra.DataFingerprint, ra.Device), (rb.DataFingerprint, rb.Device));
                Assert.Equal(ra.ClassNames, rb.ClassNames);
                Assert.Equal(ra.DataNotes, rb.DataNotes);
                break;
            case ".json":
                var (sa, sb) = (RunStatusFile.TryRead(expected)!, RunStatusFile.TryRead(actual)!);
                Assert.Equal((sa.State, sa.EpochsCompleted, sa.Reason, sa.Outcome, sa.OutcomeDetail), (sb.State, sb.EpochsCompleted, sb.Reason, sb.Outcome, sb.OutcomeDetail));
                break;
            case ".txt" when name.EndsWith("epoch.txt", StringComparison.Ordinal):
                Assert.Equal(File.ReadAllText(expected), File.ReadAllText(actual));
                break;
            case ".txt":
                Assert.Equal(Lines(expected, "Epoch "), Lines(actual, "Epoch "));
                break;
            case ".bin":
                Assert.Equal(new FileInfo(expected).Length, new FileInfo(actual).Length);
                break;
            default:
                Assert.Fail($"{name}: a run file of a kind this comparison does not know; teach it");
                break;
        }
    }

    private static int Lines(string path, string start) => File.ReadLines(path).Count(l => l.Contains("] " + start, StringComparison.Ordinal));

    private static void AssertCloseTables(TidyTable a, TidyTable b, string name)
    {
        Assert.Equal(a.Columns, b.Columns);
        Assert.Equal(a.Rows.Count, b.Rows.Count);
        for (int r = 0; r < a.Rows.Count; r++)
            for (int c = 0; c < a.Columns.Count; c++)
            {
                if (a.Columns[c] == "epoch_seconds") continue;
                string x = a.Rows[r][c], y = b.Rows[r][c];
                if (double.TryParse(x, CultureInfo.InvariantCulture, out double dx) && double.TryParse(y, CultureInfo.InvariantCulture, out double dy))
                    Assert.True((double.IsNaN(dx) && double.IsNaN(dy)) || Math.Abs(dx - dy) <= Tolerance, $"{name} {a.Columns[c]} row {r}: {x} vs {y}");
                else Assert.Equal(x, y);
            }
    }
}
