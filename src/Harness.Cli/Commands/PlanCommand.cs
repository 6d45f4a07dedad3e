using System.CommandLine;
using Harness.Specs;

namespace Harness.Cli.Commands;

/// <summary><c>harness plan SPEC</c>: prints the expanded runs with their stable ids, trains nothing.</summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var spec = CommonOptions.Spec();
        var set = CommonOptions.Set();
        var command = new Command("plan", "Print the runs an experiment expands to (conditions x grid x seeds) with their RunIds") { spec, set };
        command.SetAction(parse => Failures.Guard(() =>
        {
            var experiment = SpecLoader.Load(parse.GetValue(spec)!.FullName, parse.GetValue(set) ?? []);
            Console.Write(PlanPrinter.Format(ExperimentPlanner.Plan(experiment)));
            return 0;
        }));
        return command;
    }
}
