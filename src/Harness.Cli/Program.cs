using System.CommandLine;
using Harness.Cli.Commands;
using Spectre.Console;

// The harness command: Program.cs only wires the commands together; each lives in Commands/.

// Redirected output (a log file, a pipe, a CI job) is read by people searching it and by programs: Spectre.Console would
// wrap it at 80 columns and split paths and URLs across lines. A width no line reaches means it is never wrapped.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 1 << 16;

// Before anything can load libtorch (and its libgomp, which reads the wait policy once): see OpenMpWaitPolicy.
try
{
    Harness.Native.OpenMpWaitPolicy.Ensure();
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

var root = new RootCommand("Harness: seeded training runs from YAML specs, tidy CSV, MLflow mirroring and reports across seeds.")
{
    RunCommand.Create(),
    PlanCommand.Create(),
    ReportCommand.Create(),
    StudyCommand.Create(),
    ModelsCommand.Create(),
    DataCommand.Create(),
    StatusCommand.Create(),
    SubmitCommand.Create(),
    SyncCommand.Create(),
    BenchWorkerCommand.Create(),
    ParityWorkerCommand.Create(),
};
return root.Parse(args).Invoke();
