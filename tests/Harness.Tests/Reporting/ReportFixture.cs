using Harness.Reporting;
using Harness.Tracking;

namespace Harness.Tests.Reporting;

/// <summary>
/// The checked-in tiny experiment, copied to a temporary folder and reported once (with figures) for every test of
/// <see cref="ExperimentReportTests"/>. With HARNESS_UPDATE_SNAPSHOTS=1 the fixture folder and the report.md snapshot
/// in the source tree are rewritten instead of compared.
/// </summary>
public class ReportFixture : IDisposable
{
    /// <summary>The fixture folder and snapshot name.</summary>
    public string Name { get; }

    public static bool Updating => Environment.GetEnvironmentVariable("HARNESS_UPDATE_SNAPSHOTS") == "1";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "harness-report-" + Guid.NewGuid().ToString("N")[..8]);

    public ResultsLayout Layout { get; }

    public ReportResult Result { get; }

    public ReportFixture() : this("tiny_experiment", TinyExperiment.Standard(), images: true)
    {
    }

    private protected ReportFixture(string name, IReadOnlyList<TinyExperiment.Run> runs, bool images)
    {
        Name = name;
        if (Updating)
        {
            string source = Path.Combine(SourceDirectory(), "Reporting", "Fixtures", Name);
            if (Directory.Exists(source)) Directory.Delete(source, true);
            TinyExperiment.Write(source, runs, images);
        }
        Layout = new ResultsLayout(Path.Combine(Root, Name));
        if (Updating) TinyExperiment.Write(Layout.ExperimentDirectory, runs, images);
        else Copy(Path.Combine(AppContext.BaseDirectory, "Reporting", "Fixtures", Name), Layout.ExperimentDirectory);
        Result = ExperimentReport.Write(Layout, null, ReportOptions.Default);
    }

    /// <summary>Compares report.md with its checked-in snapshot (or rewrites the snapshot with HARNESS_UPDATE_SNAPSHOTS=1).</summary>
    public void AssertMarkdownMatchesSnapshot()
    {
        string actual = Normalize(File.ReadAllText(Result.Markdown));
        string snapshot = Path.Combine("Reporting", "Snapshots", Name + ".report.md");
        if (Updating)
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), snapshot), actual);
            return;
        }
        string expected = Normalize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, snapshot)));
        Assert.Equal(expected, actual);
    }

    /// <summary>Timestamps and absolute paths would make the snapshot fragile; the report has none, and this guards it.</summary>
    private static string Normalize(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace(Path.GetTempPath(), "<tmp>/", StringComparison.Ordinal);

    /// <summary>The test project's source folder (the one holding Harness.Tests.csproj).</summary>
    public static string SourceDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Harness.Tests.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException("Harness.Tests.csproj not found above " + AppContext.BaseDirectory);
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        // HARNESS_KEEP_REPORT=1 keeps the folder for a look at the figures.
        if (Directory.Exists(Root) && Environment.GetEnvironmentVariable("HARNESS_KEEP_REPORT") != "1") Directory.Delete(Root, true);
    }
}
