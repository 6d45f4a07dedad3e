using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// Settings of glibc's malloc for libtorch's CPU tensors. By default glibc gives large blocks (above an adaptive
/// threshold, at most 32 MiB) their own memory mappings and returns freed memory at the top of the heap to the
/// kernel above 128 KiB, so a training loop that frees and reallocates the same activation buffers every batch
/// pays page faults and page zeroing on every batch; on the 2-core VM of this project that cost dominated training
/// (deep at 256 x 256, one batch of 20: 1.20 s in PyTorch with glibc's defaults, 0.30 s with a fixed 32 MiB mmap
/// threshold, 0.14 s with no mappings). <see cref="Ensure"/> therefore switches large-block mappings off
/// (everything comes from the heap, where freed blocks are reused) and keeps up to 1 GiB of freed memory before
/// trimming; a seed-parallel group, whose step is K times larger, keeps all of it
/// (<see cref="KeepFreedMemory"/>). Numbers computed are unaffected: only where memory comes from changes.
/// </summary>
public static class CpuAllocator
{
    /// <summary>Environment variable: <c>tuned</c> (default) or <c>system</c> (leave malloc as the system set it).</summary>
    public const string EnvironmentVariable = "HARNESS_CPU_ALLOCATOR";

    /// <summary>Freed memory at the top of the heap is kept up to this much before it is given back.</summary>
    public const int TrimThresholdBytes = 1 << 30;

    private const int MTrimThreshold = -1, MMmapMax = -4;

    private static readonly Lazy<string> Applied = new(() => Apply(Plan(
        Environment.GetEnvironmentVariable(EnvironmentVariable),
        Environment.GetEnvironmentVariable("LD_PRELOAD"),
        Environment.GetEnvironmentVariable("GLIBC_TUNABLES"),
        OperatingSystem.IsLinux())));

    /// <summary>What this process does about malloc, decided once: tune glibc, or leave it and say why.</summary>
    /// <param name="Tune">True: call mallopt with the thresholds above.</param>
    /// <param name="Description">For run provenance, e.g. <c>glibc tuned (mmap 32 MiB, trim 256 MiB)</c>.</param>
    public sealed record Decision(bool Tune, string Description);

    /// <summary>The decision for the given environment (pure; <see cref="Ensure"/> applies it).</summary>
    public static Decision Plan(string? setting, string? preload, string? tunables, bool isLinux)
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
        return new(true, $"glibc tuned (no mmap blocks, trim threshold {TrimThresholdBytes >> 20} MiB)");
    }

    private static bool tuned;

    /// <summary>Applies the process's decision once (before libtorch allocates) and returns its description.</summary>
    public static string Ensure() => Applied.Value;

    /// <summary>
    /// Where malloc was tuned: from now on freed heap memory is never given back (a seed-parallel group's working
    /// set is K times a run's; trimming it every step cost more than the group saved). A no-op otherwise.
    /// </summary>
    public static void KeepFreedMemory()
    {
        Ensure();
        if (tuned) mallopt(MTrimThreshold, -1);
    }

    private static string Apply(Decision decision)
    {
        if (!decision.Tune) return decision.Description;
        try
        {
            if (mallopt(MMmapMax, 0) == 1 && mallopt(MTrimThreshold, TrimThresholdBytes) == 1)
            {
                tuned = true;
                return decision.Description;
            }
            return "system malloc (mallopt refused the thresholds)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "system malloc (no glibc mallopt: not glibc)";
        }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
