using System.Runtime.InteropServices;

namespace Harness.Native;

/// <summary>
/// How libtorch's OpenMP threads wait for work. libgomp's default lets an idle thread spin on its core for a while
/// before it sleeps; on a machine with other busy processes (a shared cluster node, a laptop) those spinning threads
/// take the cores the working ones need, and training slows several times over (README, "Thread wait policy, quiet and
/// loaded"). <see cref="Ensure"/> therefore sets <c>OMP_WAIT_POLICY=PASSIVE</c> (threads sleep at once) unless the
/// user set <c>OMP_WAIT_POLICY</c>. libgomp reads the variable once, when it is loaded, from the C environment (which
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not change on Linux): it is set with libc's
/// <c>setenv</c> before libtorch is loaded (the command line's first act, and <see cref="TorchRuntime"/>'s before it
/// loads libtorch), and what this process really runs with is recorded (a libgomp loaded earlier keeps its own
/// policy, and the record says so).
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The variable libgomp (and Intel's OpenMP) read.</summary>
    public const string EnvironmentVariable = "OMP_WAIT_POLICY";

    /// <summary>The harness's own switch: <c>passive</c> (default) or <c>openmp</c> (leave OpenMP's default, spin then sleep).</summary>
    public const string HarnessVariable = "HARNESS_OMP_WAIT_POLICY";

    /// <summary>The harness's default policy.</summary>
    public const string Default = "PASSIVE";

    private static readonly Lazy<string> Applied = new(Apply);

    /// <summary>
    /// The policy for the given environment (pure): the user's <c>OMP_WAIT_POLICY</c> wins; else
    /// <see cref="Default"/>, or none (OpenMP's own default) with <c>HARNESS_OMP_WAIT_POLICY=openmp</c>.
    /// </summary>
    /// <param name="harnessSetting">The current <c>HARNESS_OMP_WAIT_POLICY</c>, if any.</param>
    /// <param name="ompSetting">The current <c>OMP_WAIT_POLICY</c>, if any.</param>
    /// <returns>The policy to set (null: set nothing) and the description for run provenance.</returns>
    /// <exception cref="ArgumentException"><paramref name="harnessSetting"/> is neither <c>passive</c> nor <c>openmp</c>.</exception>
    public static (string? Set, string Description) Plan(string? harnessSetting, string? ompSetting)
    {
        string mode = string.IsNullOrWhiteSpace(harnessSetting) ? "passive" : harnessSetting.Trim().ToLowerInvariant();
        if (mode is not ("passive" or "openmp"))
            throw new ArgumentException($"{HarnessVariable}='{harnessSetting}' is not a wait policy setting: use 'passive' (the default) or 'openmp'");
        if (!string.IsNullOrWhiteSpace(ompSetting)) return (null, $"{ompSetting.Trim().ToUpperInvariant()} ({EnvironmentVariable} from the environment)");
        if (mode == "openmp") return (null, $"OpenMP default, spin then sleep ({HarnessVariable}=openmp)");
        return (Default, $"{Default} (harness default)");
    }

    /// <summary>
    /// Sets the policy once, before libtorch (and its libgomp) is loaded, and returns what this process runs with, for
    /// run provenance, e.g. <c>PASSIVE (harness default)</c>.
    /// </summary>
    public static string Ensure() => Applied.Value;

    private static string Apply()
    {
        var (policy, description) = Plan(Environment.GetEnvironmentVariable(HarnessVariable), Environment.GetEnvironmentVariable(EnvironmentVariable));
        if (policy is null) return description;
        if (!OperatingSystem.IsLinux()) return "OpenMP default (the harness sets the wait policy on Linux only)";
        if (GompLoaded()) return "OpenMP default (libgomp was loaded before the harness could set OMP_WAIT_POLICY)";
        try
        {
            if (setenv(EnvironmentVariable, policy, 0) != 0) return "OpenMP default (setenv failed)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "OpenMP default (no libc setenv)";
        }
        // Child processes (workers, Slurm tasks started from here) inherit it through .NET's copy of the environment.
        Environment.SetEnvironmentVariable(EnvironmentVariable, policy);
        return description;
    }

    /// <summary>Whether a libgomp is already mapped into this process (then it has read its settings already).</summary>
    private static bool GompLoaded()
    {
        try
        {
            return File.ReadLines("/proc/self/maps").Any(line => line.Contains("libgomp", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
