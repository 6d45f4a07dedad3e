namespace Harness.Execution;

/// <summary>Runs an external program (sbatch, scontrol). Tests replace it to see the exact calls without a cluster.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> (no shell) and waits for it.</summary>
    /// <exception cref="SlurmException">The program cannot be started (e.g. not on PATH).</exception>
    CommandResult Run(string program, IReadOnlyList<string> arguments);
}
