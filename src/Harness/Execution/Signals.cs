using System.Runtime.InteropServices;

namespace Harness.Execution;

/// <summary>POSIX signals to other processes (.NET can only SIGKILL them by itself).</summary>
public static partial class Signals
{
    /// <summary>SIGTERM: what Slurm sends at a time limit; the harness checkpoints and exits as interrupted.</summary>
    public const int Terminate = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when the process is gone.</summary>
    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
