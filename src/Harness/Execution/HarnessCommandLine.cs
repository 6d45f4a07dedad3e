namespace Harness.Execution;

/// <summary>The command that starts this very build of the harness, for scripts that run later elsewhere (Slurm tasks).</summary>
public static class HarnessCommandLine
{
    /// <summary>
    /// <c>[absolute dotnet, absolute Harness.Cli.dll]</c>: the dotnet host running this process when it is one,
    /// else the one under DOTNET_ROOT or on PATH (a task's PATH may differ, so the path is resolved now).
    /// </summary>
    public static IReadOnlyList<string> ForThisProcess(string cliAssembly)
    {
        string? host = Environment.ProcessPath;
        if (host is null || !Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.Ordinal))
            host = FindDotnet() ?? "dotnet";
        return [host, Path.GetFullPath(cliAssembly)];
    }

    private static string? FindDotnet()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root) folders.Add(root);
        folders.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        return folders.Select(f => Path.Combine(f, "dotnet")).FirstOrDefault(File.Exists) is { } found ? Path.GetFullPath(found) : null;
    }
}
