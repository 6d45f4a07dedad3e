using Harness.Reporting;
using Harness.Tracking;

namespace Harness.Tests.Reporting;

/// <summary>
/// The checked-in tiny experiment, copied to a temporary folder and reported once (with figures) for every test of
/// <see cref="ExperimentReportTests"/>. With HARNESS_UPDATE_SNAPSHOTS=1 the fixture folder and the report.md snapshot
/// in the source tree are rewritten instead of compared.
/// </summary>
public sealed class ReportFixture : IDisposable
{
    public const string Name = "tiny_experiment";

    public static bool Updating => Environment.GetEnvironmentVariable("HARNESS_UPDATE_SNAPSHOTS") == "1";

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "harness-report-" + Guid.NewGuid().ToString("N")[..8]);

    public ResultsLayout Layout { get; }

    public ReportResult Result { get; }

    public ReportFixture()
    {
        if (Updating)
        {
            string source = Path.Combine(SourceDirectory(), "Reporting", "Fixtures", Name);
            if (Directory.Exists(source)) Directory.Delete(source, true);
            TinyExperiment.Write(source, TinyExperiment.Standard(), images: true);
        }
        Layout = new ResultsLayout(Path.Combine(Root, Name));
        if (Updating) TinyExperiment.Write(Layout.ExperimentDirectory, TinyExperiment.Standard(), images: true);
        else Copy(Path.Combine(AppContext.BaseDirectory, "Reporting", "Fixtures", Name), Layout.ExperimentDirectory);
        Result = ExperimentReport.Write(Layout, null, ReportOptions.Default);
    }

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
        // HARNESS_KEEP_REPORT=1 keeps the folder for a look at the figures.
        if (Directory.Exists(Root) && Environment.GetEnvironmentVariable("HARNESS_KEEP_REPORT") != "1") Directory.Delete(Root, true);
    }
}
