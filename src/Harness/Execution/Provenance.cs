using System.Diagnostics;

namespace Harness.Execution;

/// <summary>Where the harness source came from: git commit and whether the tree had uncommitted changes.</summary>
/// <param name="GitCommit">Commit hash, or "unknown" outside a git checkout.</param>
/// <param name="GitDirty">Uncommitted changes present.</param>
public sealed record Provenance(string GitCommit, bool GitDirty)
{
    /// <summary>Reads the provenance of the checkout containing <paramref name="directory"/> (git must be on PATH; otherwise "unknown").</summary>
    public static Provenance Detect(string directory)
    {
        string? commit = Git(directory, "rev-parse HEAD");
        if (commit is null) return new Provenance("unknown", false);
        string? status = Git(directory, "status --porcelain --untracked-files=no");
        return new Provenance(commit.Trim(), !string.IsNullOrWhiteSpace(status));
    }

    private static string? Git(string directory, string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info);
            if (process is null) return null;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
