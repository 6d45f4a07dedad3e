using System.CommandLine;
using Harness.Cli.Commands;

// The harness command: Program.cs only wires the commands together; each lives in Commands/.
var root = new RootCommand("Harness: seeded training runs from YAML specs, tidy CSV, MLflow mirroring and reports across seeds.")
{
    RunCommand.Create(),
    PlanCommand.Create(),
    ReportCommand.Create(),
    ModelsCommand.Create(),
    DataCommand.Create(),
    StatusCommand.Create(),
    SubmitCommand.Create(),
    SyncCommand.Create(),
    BenchWorkerCommand.Create(),
    ParityWorkerCommand.Create(),
};
return root.Parse(args).Invoke();
