using System.Diagnostics;
using System.Globalization;

namespace Harness.Execution;

/// <summary>
/// An exclusive claim on one run, so two workers or two cluster tasks never train the same run. The claim is a
/// file created with create-new semantics (atomic on local and NFS file systems) holding host, process id, time,
/// and the process's start time and the boot id (Linux), because a PID alone is reused: after a crash or a reboot a
/// live, unrelated process with the same PID kept the run skipped forever. Its modification time is the heartbeat,
/// refreshed while the run trains. A claim whose process is gone or is another process now (same host), or whose
/// heartbeat is older than <see cref="StaleAfter"/> (any host), is stale and is taken over by renaming it away
/// first, which only one contender can do.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>Heartbeat age after which a claim from another host is considered abandoned.</summary>
    public static TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a held claim refreshes its heartbeat.</summary>
    public static TimeSpan HeartbeatEvery { get; set; } = TimeSpan.FromSeconds(30);

    private readonly string path;
    private readonly Timer heartbeat;
    private bool released;

    private RunLock(string path)
    {
        this.path = path;
        heartbeat = new Timer(_ => Touch(), null, HeartbeatEvery, HeartbeatEvery);
    }

    /// <summary>The claim file of a run folder.</summary>
    public static string PathIn(string runDirectory) => System.IO.Path.Combine(runDirectory, "lock");

    /// <summary>Claims the run in <paramref name="runDirectory"/>, or returns null when another live worker holds it.</summary>
    public static RunLock? TryAcquire(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        string path = PathIn(runDirectory);
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
                using (var writer = new StreamWriter(stream))
                    writer.Write($"{Environment.MachineName}\n{Environment.ProcessId}\n{DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture)}\n" +
                        $"{ProcessStartTicks(Environment.ProcessId)}\n{BootId()}\n");
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!IsStale(path)) return null;
                string aside = $"{path}.stale-{Environment.MachineName}-{Environment.ProcessId}";
                try
                {
                    File.Move(path, aside); // only one contender wins this rename
                    File.Delete(aside);
                }
                catch (IOException) { return null; }
                catch (UnauthorizedAccessException) { return null; }
            }
        }
        return null;
    }

    /// <summary>Whether the claim at <paramref name="path"/> belongs to a process that is gone or has stopped beating.</summary>
    public static bool IsStale(string path)
    {
        string[] lines;
        DateTime lastBeat;
        try
        {
            lines = File.ReadAllLines(path);
            lastBeat = File.GetLastWriteTimeUtc(path);
        }
        catch (IOException) { return false; }
        if (lines.Length >= 2 && lines[0] == Environment.MachineName && int.TryParse(lines[1], CultureInfo.InvariantCulture, out int pid))
        {
            // Claims written before these lines existed (or off Linux) have no start time: judged by the PID alone.
            string? started = lines.Length >= 4 && lines[3].Length > 0 ? lines[3] : null;
            string? boot = lines.Length >= 5 && lines[4].Length > 0 ? lines[4] : null;
            if (boot is not null && BootId() is { Length: > 0 } now && boot != now) return true; // rebooted since: every PID is new
            if (!ProcessAlive(pid)) return true;
            return started is not null && ProcessStartTicks(pid) is { Length: > 0 } current && current != started;
        }
        return DateTime.UtcNow - lastBeat > StaleAfter;
    }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>: clock ticks after boot when the process started; "" when unknown.</summary>
    internal static string ProcessStartTicks(int pid)
    {
        try
        {
            string text = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : "";
        }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    /// <summary>This boot's id (<c>/proc/sys/kernel/random/boot_id</c>); "" when unknown.</summary>
    internal static string BootId()
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static bool ProcessAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            // Exited processes can linger as zombies (notably under a container's PID 1).
            string stat = $"/proc/{pid}/stat";
            if (File.Exists(stat))
            {
                string text = File.ReadAllText(stat);
                int close = text.LastIndexOf(')');
                if (close > 0 && close + 2 < text.Length && text[close + 2] == 'Z') return false;
            }
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private void Touch()
    {
        try { if (!released) File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Releases the claim.</summary>
    public void Dispose()
    {
        if (released) return;
        released = true;
        heartbeat.Dispose();
        try { File.Delete(path); } catch (IOException) { }
    }
}
