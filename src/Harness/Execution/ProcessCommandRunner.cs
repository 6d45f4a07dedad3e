using System.ComponentModel;
using System.Diagnostics;

namespace Harness.Execution;

/// <summary>Runs programs as child processes, without a shell, capturing their output.</summary>
/// <param name="timeout">How long one command may take before it is killed.</param>
public sealed class ProcessCommandRunner(TimeSpan timeout) : ICommandRunner
{
    /// <summary>A runner that waits at most two minutes per command (sbatch can be slow on a busy controller).</summary>
    public ProcessCommandRunner() : this(TimeSpan.FromMinutes(2)) { }

    /// <inheritdoc />
    public CommandResult Run(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new SlurmException($"{program} could not be started");
        }
        catch (Win32Exception e)
        {
            throw new SlurmException($"{program} could not be started ({e.Message}): is Slurm installed and {program} on PATH?", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new SlurmException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
            }
            process.WaitForExit();
            return new CommandResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
