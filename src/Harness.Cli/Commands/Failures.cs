using Harness.Data;
using Harness.Execution;
using Harness.Native;
using Harness.Specs;
using Harness.Tracking;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>
/// Turns the errors a user can fix into readable messages and exit codes, instead of stack traces. Exit codes (the
/// README's "Exit codes" lists them): 0 done; 1 runs failed (now or in an earlier sweep); 2 bad spec, data or option;
/// 3 libtorch does not load; 4 Slurm refused; 5 the file system refused (read-only, full, no permission); 130 interrupted.
/// </summary>
internal static class Failures
{
    /// <summary>Runs failed: fix the cause, then <c>--retry-failed</c>.</summary>
    public const int RunsFailed = 1;

    /// <summary>The file system refused a read or write.</summary>
    public const int FileSystem = 5;

    /// <summary>Warns about each damaged run file among <paramref name="runIds"/> (which file, and what happens): one line each.</summary>
    public static void WarnDamaged(ResultsLayout layout, IEnumerable<string> runIds)
    {
        foreach (var id in runIds)
            if (RunFileCheck.Damage(layout, id) is { } damage)
                Console.Error.WriteLine($"warning: {damage}; {RunFileCheck.Advice}");
    }

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (SpecException e)
        {
            AnsiConsole.MarkupLine($"[red]The spec has {e.Errors.Count} error(s):[/]");
            foreach (var error in e.Errors) Console.Error.WriteLine("  " + error);
            return 2;
        }
        catch (DataException e)
        {
            AnsiConsole.MarkupLine("[red]The data cannot be used:[/]");
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (SlurmException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 4;
        }
        catch (TorchUnavailableException e)
        {
            Console.Error.WriteLine(e.Message);
            return 3;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // One line the user can act on; the stack trace goes to a file (a failed run's own trace is in its log.txt).
            string trace = SaveTrace(e);
            string what = FileSystemErrors.IsDiskFull(e)
                ? "the disk is full: free space (or give --results a folder on another disk) and run the same command again; finished runs are kept and interrupted ones resume"
                : FileSystemErrors.IsReadOnly(e)
                    ? "the folder is read-only or not yours: make it writable, or write elsewhere (run: --results DIR; report: --out DIR)"
                    : "check the path, its permissions and the disk";
            // Name the file the user knows, not the temporary one it was being written through.
            string message = System.Text.RegularExpressions.Regex.Replace(e.Message.TrimEnd('.'), @"\.tmp-[^'""\s]+", "");
            Console.Error.WriteLine($"error: {message}: {what}{trace}");
            return FileSystem;
        }
    }

    /// <summary>Writes the full exception to a temporary file; returns " (details: PATH)", or "" when even that fails.</summary>
    private static string SaveTrace(Exception e)
    {
        try
        {
            string path = Path.Combine(Path.GetTempPath(), $"harness-error-{Environment.ProcessId}.txt");
            File.WriteAllText(path, e.ToString() + "\n");
            return $" (details: {path})";
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException) { return ""; }
    }
}
