using Harness.Execution;

namespace Harness.Tests.Execution;

public sealed class RunLockTests : IDisposable
{
    private readonly string run = Directory.CreateTempSubdirectory("lock-").FullName;

    [Fact]
    public void Of_many_racing_claimants_exactly_one_wins()
    {
        int winners = 0;
        var held = new System.Collections.Concurrent.ConcurrentBag<RunLock>();
        Parallel.For(0, 16, _ =>
        {
            var claim = RunLock.TryAcquire(run);
            if (claim is not null) { Interlocked.Increment(ref winners); held.Add(claim); }
        });
        Assert.Equal(1, winners);
        foreach (var c in held) c.Dispose();
        using var again = RunLock.TryAcquire(run);
        Assert.NotNull(again);
    }

    [Fact]
    public void A_claim_of_a_dead_process_on_this_host_is_taken_over()
    {
        File.WriteAllText(RunLock.PathIn(run), $"{Environment.MachineName}\n{DeadPid()}\n2026-01-01T00:00:00Z\n");
        Assert.True(RunLock.IsStale(RunLock.PathIn(run)));
        using var claim = RunLock.TryAcquire(run);
        Assert.NotNull(claim);
        Assert.Contains(Environment.ProcessId.ToString(), File.ReadAllText(RunLock.PathIn(run)));
    }

    [Fact]
    public void A_claim_from_another_host_is_respected_until_its_heartbeat_is_old()
    {
        string path = RunLock.PathIn(run);
        File.WriteAllText(path, "some-other-node\n4242\n2026-01-01T00:00:00Z\n");
        Assert.Null(RunLock.TryAcquire(run));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - RunLock.StaleAfter - TimeSpan.FromMinutes(1));
        using var claim = RunLock.TryAcquire(run);
        Assert.NotNull(claim);
    }

    [Fact]
    public void A_claim_whose_pid_now_belongs_to_another_live_process_is_taken_over()
    {
        // The PID was reused: a live process holds it, but it started at another time than the claim's owner.
        using var live = System.Diagnostics.Process.Start("sleep", "60")!;
        try
        {
            string path = RunLock.PathIn(run);
            string started = RunLock.ProcessStartTicks(live.Id);
            Assert.NotEqual("", started);
            File.WriteAllText(path, $"{Environment.MachineName}\n{live.Id}\n2026-01-01T00:00:00Z\n{started}\n{RunLock.BootId()}\n");
            Assert.False(RunLock.IsStale(path)); // the very process: respected
            Assert.Null(RunLock.TryAcquire(run));

            File.WriteAllText(path, $"{Environment.MachineName}\n{live.Id}\n2026-01-01T00:00:00Z\n{long.Parse(started) + 1}\n{RunLock.BootId()}\n");
            Assert.True(RunLock.IsStale(path));
            File.WriteAllText(path, $"{Environment.MachineName}\n{live.Id}\n2026-01-01T00:00:00Z\n{started}\nanother-boot\n");
            Assert.True(RunLock.IsStale(path));
            using var claim = RunLock.TryAcquire(run);
            Assert.NotNull(claim);
            var lines = File.ReadAllLines(path);
            Assert.Equal((RunLock.ProcessStartTicks(Environment.ProcessId), RunLock.BootId()), (lines[3], lines[4]));
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
    }

    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }

    public void Dispose() => Directory.Delete(run, recursive: true);
}
