using Harness.Data;
using Harness.Execution;
using Harness.Native;
using Harness.Specs;
using Spectre.Console;

namespace Harness.Cli.Commands;

/// <summary>Turns the errors a user can fix into readable messages and exit codes, instead of stack traces.</summary>
internal static class Failures
{
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
    }
}
