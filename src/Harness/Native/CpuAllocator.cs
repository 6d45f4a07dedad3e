using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// Settings of glibc's malloc for libtorch's CPU tensors, process-wide and so decided at start-up, never from inside
/// training. glibc gives large blocks their own memory mappings and hands freed memory at the top of the heap back to
/// the kernel, so a training loop that frees and reallocates the same activation buffers every batch pays page faults
/// and page zeroing on every batch, which on a small machine can be most of a step (README, "Speed on the CPU").
/// <see cref="Ensure"/> therefore serves every block from the heap, where freed blocks are reused, and keeps up to
/// <see cref="TrimThresholdBytes"/> of freed memory before trimming. A command that will train seed-parallel groups
/// keeps all of it (<see cref="KeepFreedMemory"/>): a group's step frees and reallocates K times a run's memory, and
/// trimming it cost more than the fusion saved. Numbers computed are unaffected: only where memory comes from changes.
/// </summary>
public static class CpuAllocator
{
    /// <summary>Environment variable: <c>tuned</c> (default) or <c>system</c> (leave malloc as the system set it).</summary>
    public const string EnvironmentVariable = "HARNESS_CPU_ALLOCATOR";

    /// <summary>Freed memory at the top of the heap is kept up to this much before it is given back.</summary>
    public const int TrimThresholdBytes = 1 << 30;

    private const int MTrimThreshold = -1, MMmapMax = -4;

    private static readonly object Gate = new();
    private static string? applied;
    private static bool tuned, kept;

    /// <summary>What this process does about malloc: tune glibc, or leave it and say why.</summary>
    /// <param name="Tune">True: call mallopt (no mmap blocks; the trim threshold, or none when freed memory is kept).</param>
    /// <param name="Description">For run provenance, e.g. <c>glibc tuned (no mmap blocks, trim threshold 1024 MiB)</c>.</param>
    public sealed record Decision(bool Tune, string Description);

    /// <summary>
    /// The decision for the given environment (pure; <see cref="Ensure"/> and <see cref="KeepFreedMemory"/> apply it);
    /// <paramref name="keepFreedMemory"/>: never give freed memory back (see <see cref="KeepFreedMemory"/>).
    /// </summary>
    public static Decision Plan(string? setting, string? preload, string? tunables, bool isLinux, bool keepFreedMemory = false)
    {
        string mode = string.IsNullOrWhiteSpace(setting) ? "tuned" : setting.Trim().ToLowerInvariant();
        if (mode is not ("tuned" or "system"))
            throw new ArgumentException($"{EnvironmentVariable}='{setting}' is not a CPU allocator setting: use 'tuned' (the default) or 'system'");
        var preloaded = (preload ?? "").Split([' ', ':'], StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(p => p.Contains("malloc", StringComparison.OrdinalIgnoreCase));
        if (preloaded is not null) return new(false, $"preloaded {Path.GetFileName(preloaded)}");
        if (mode == "system") return new(false, $"system malloc ({EnvironmentVariable}=system)");
        if (!isLinux) return new(false, "system malloc (tuning is for glibc on Linux)");
        if (tunables?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return new(false, $"glibc with GLIBC_TUNABLES={tunables}");
        return new(true, keepFreedMemory
            ? "glibc tuned (no mmap blocks, freed memory kept)"
            : $"glibc tuned (no mmap blocks, trim threshold {TrimThresholdBytes >> 20} MiB)");
    }

    /// <summary>Applies the process's decision once (before libtorch allocates) and returns its description.</summary>
    public static string Ensure() => Apply(keepFreedMemory: false);

    /// <summary>
    /// Where malloc is tuned, from now on freed heap memory is never given back; call it once at start-up in a command
    /// that will train seed-parallel groups (see the summary). Returns the process's description, which run provenance
    /// then records. A no-op where malloc is left alone.
    /// </summary>
    public static string KeepFreedMemory() => Apply(keepFreedMemory: true);

    private static string Apply(bool keepFreedMemory)
    {
        lock (Gate)
        {
            if (applied is not null && !(keepFreedMemory && tuned && !kept)) return applied;
            var decision = Plan(
                Environment.GetEnvironmentVariable(EnvironmentVariable),
                Environment.GetEnvironmentVariable("LD_PRELOAD"),
                Environment.GetEnvironmentVariable("GLIBC_TUNABLES"),
                OperatingSystem.IsLinux(),
                keepFreedMemory);
            if (!decision.Tune) return applied = decision.Description;
            try
            {
                if ((tuned || mallopt(MMmapMax, 0) == 1) && mallopt(MTrimThreshold, keepFreedMemory ? -1 : TrimThresholdBytes) == 1)
                {
                    (tuned, kept) = (true, keepFreedMemory);
                    return applied = decision.Description;
                }
                return applied ??= "system malloc (mallopt refused the thresholds)";
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return applied = "system malloc (no glibc mallopt: not glibc)";
            }
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
