using System.Runtime.CompilerServices;
using Harness.Data;

namespace Harness.Tests;

/// <summary>
/// Keeps the prepared data sets of a test run out of the user's <c>~/.cache</c>: before any test runs, points
/// <c>HARNESS_CACHE_DIR</c> at a temporary folder of this run (deleted when the test process exits), unless the
/// caller already set it (CI may share a cache on purpose, or switch it <c>off</c>). Code that builds a
/// <see cref="Harness.Execution.DatasetCache"/> without an explicit disk cache, and every CLI process a test starts
/// (they inherit the environment), then use that folder.
/// </summary>
internal static class TestDatasetCache
{
    /// <summary>The folder this run uses, or null when the caller chose one through <c>HARNESS_CACHE_DIR</c>.</summary>
    public static string? Folder { get; private set; }

#pragma warning disable CA2255 // A test assembly is an application: its setup must run before any test, whichever runs first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void UseATemporaryFolder()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DatasetDiskCache.EnvironmentVariable))) return;
        var folder = Directory.CreateTempSubdirectory("harness-test-cache-").FullName;
        Environment.SetEnvironmentVariable(DatasetDiskCache.EnvironmentVariable, folder);
        Folder = folder;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a child process killed mid-write may still hold a file; a leftover temp folder is harmless.
            }
        };
    }
}
