namespace Harness.Tests;

/// <summary>Paths of the checkout the tests run from, and of the shared data beside it.</summary>
internal static class RepoPaths
{
    /// <summary>The repository root (the folder holding Harness.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shared folder beside the checkout (real data), or null when absent.</summary>
    public static string? Shared =>
        Directory.Exists(Path.Combine(Root, "..", "shared")) ? Path.GetFullPath(Path.Combine(Root, "..", "shared")) : null;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Harness.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("tests must run inside the checkout");
    }
}
