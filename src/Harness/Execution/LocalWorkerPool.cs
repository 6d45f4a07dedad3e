using System.Diagnostics;

namespace Harness.Execution;

/// <summary>
/// Runs a sweep with N worker processes on this machine. Each worker is the same <c>harness run</c> command: it
/// claims unfinished runs one at a time (see <see cref="RunLock"/>), so workers never train the same run and a
/// killed worker's run is taken over once its claim goes stale. With GPUs, worker i sees only device i
/// (<c>CUDA_VISIBLE_DEVICES</c>). Output lines are relayed with a <c>[wN]</c> prefix.
/// </summary>
/// <param name="executable">The program to start (<c>dotnet</c>).</param>
/// <param name="baseArguments">Arguments of one worker (the run command without <c>--workers</c>).</param>
public sealed class LocalWorkerPool(string executable, IReadOnlyList<string> baseArguments)
{
    /// <summary>Starts <paramref name="workers"/> workers (pinned to <paramref name="devices"/> when given) and waits for all; returns the worst exit code.</summary>
    public int Run(int workers, IReadOnlyList<string> devices, Action<string> output, CancellationToken stop)
    {
        var processes = new List<Process>();
        for (int i = 0; i < workers; i++)
        {
            var info = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in baseArguments) info.ArgumentList.Add(a);
            info.Environment["HARNESS_WORKER"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (devices.Count > 0) info.Environment["CUDA_VISIBLE_DEVICES"] = devices[i % devices.Count];
            var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start worker {i + 1}");
            string prefix = $"[w{i + 1}] ";
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) output(prefix + e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(prefix + e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            processes.Add(process);
            // Stagger starts a little so the first claims do not all hit the same run at once.
            Thread.Sleep(200);
        }
        using var forward = stop.Register(() =>
        {
            foreach (var p in processes)
                if (!p.HasExited) Signals.Send(p.Id, Signals.Terminate);
        });
        int worst = 0;
        foreach (var p in processes)
        {
            p.WaitForExit();
            worst = Math.Max(worst, p.ExitCode);
            p.Dispose();
        }
        return worst;
    }
}
