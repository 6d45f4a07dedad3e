using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Harness.Native;

/// <summary>
/// Loads libtorch once and, when that fails, explains why in words a user can act on (instead of TorchSharp's
/// misleading "doesn't contain a reference to libtorch-cpu-linux-x64" and a stack trace).
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string?> LoadError = new(TryLoad);

    /// <summary>Throws <see cref="TorchUnavailableException"/> with a diagnosis when libtorch cannot be loaded.</summary>
    public static void EnsureLoaded()
    {
        if (LoadError.Value is { } message) throw new TorchUnavailableException(message);
    }

    /// <summary>Versions of TorchSharp and libtorch, for run provenance.</summary>
    public static IReadOnlyDictionary<string, string> Versions()
    {
        EnsureLoaded();
        return new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            ["libtorch"] = torch.__version__,
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["harness"] = typeof(TorchRuntime).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
            ["os"] = RuntimeInformation.OSDescription,
            ["cpu_allocator"] = CpuAllocator.Ensure(),
            ["omp_wait_policy"] = OpenMpWaitPolicy.Ensure(),
        };
    }

    private static string? TryLoad()
    {
        try
        {
            OpenMpWaitPolicy.Ensure(); // before libtorch loads its libgomp, which reads the policy once
            CpuAllocator.Ensure(); // before libtorch allocates anything
            using var probe = torch.zeros(1);
            return null;
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException)
        {
            return Diagnose(e);
        }
    }

    /// <summary>A readable explanation of a native load failure, with what to do about it.</summary>
    public static string Diagnose(Exception failure)
    {
        var lines = new List<string> { "TorchSharp could not load libtorch." };
        string? native = FindLibTorchSharp();
        if (native is null)
        {
            lines.Add("libLibTorchSharp.so is not next to the harness binaries: rebuild with 'make build' (CPU) or 'make build BACKEND=cuda' (GPU).");
        }
        else if (!File.Exists(Path.Combine(Path.GetDirectoryName(native)!, "libtorch.so"))
                 && !File.Exists(Path.Combine(AppContext.BaseDirectory, "libtorch.so")))
        {
            lines.Add("This build carries no libtorch (BACKEND=external): check an installed libtorch 2.10 with " +
                      "'check-libtorch.sh /path/to/torch/lib' (beside the harness in a published bundle, scripts/ in the repository), " +
                      "then run with LD_LIBRARY_PATH=/path/to/torch/lib.");
        }
        else
        {
            try
            {
                var required = NativeFixup.ElfVersionRequirements.ReadRequirements(File.ReadAllBytes(native))
                    .Where(r => r.Library.StartsWith("libstdc++", StringComparison.Ordinal) && !r.IsWeak)
                    .Select(r => r.Version).ToHashSet();
                var system = NativeFixup.LibTorchSharpFixup.SystemLibstdcxxVersions();
                if (system is null)
                    lines.Add("No system libstdc++.so.6 was found: install your distribution's libstdc++6 package.");
                else
                {
                    var missing = required.Where(v => !system.Contains(v)).Order(StringComparer.Ordinal).ToArray();
                    if (missing.Length > 0)
                        lines.Add($"{native} needs {string.Join(", ", missing)} but the system libstdc++ stops earlier. " +
                                  "Load a newer GCC runtime (e.g. 'module load gcc/13' on a cluster, or put a newer libstdc++.so.6 on LD_LIBRARY_PATH), " +
                                  "or rebuild with 'make build' on this machine so the build weakens the marker-only GLIBCXX_3.4.32 requirement.");
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                lines.Add($"Could not inspect {native}: {e.Message}");
            }
        }
        var root = failure;
        while (root.InnerException is not null) root = root.InnerException;
        lines.Add($"The loader said: {root.Message.Split('\n')[0].Trim()}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string? FindLibTorchSharp()
    {
        string baseDir = AppContext.BaseDirectory;
        foreach (var candidate in new[]
                 {
                     Path.Combine(baseDir, "libLibTorchSharp.so"),
                     Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                 })
            if (File.Exists(candidate)) return candidate;
        return null;
    }
}
