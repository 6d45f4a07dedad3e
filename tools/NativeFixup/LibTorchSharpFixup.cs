namespace Harness.NativeFixup;

/// <summary>
/// Makes TorchSharp's <c>libLibTorchSharp.so</c> loadable where the system libstdc++ is older than the
/// one it was linked against, by weakening version requirements that only name never-called markers.
/// </summary>
public static class LibTorchSharpFixup
{
    /// <summary>
    /// Versions safe to weaken: TorchSharp 0.107.0 requires GLIBCXX_3.4.32 for the single marker symbol
    /// <c>std::ios_base_library_init()</c>, which GCC 13 emits and nothing calls.
    /// </summary>
    public static readonly IReadOnlyList<string> WeakenableVersions = ["GLIBCXX_3.4.32"];

    /// <summary>Where the dynamic loader usually finds libstdc++ on x86-64 Linux.</summary>
    public static IEnumerable<string> SystemLibstdcxxCandidates()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return Path.Combine(dir, "libstdc++.so.6");
        yield return "/usr/lib/x86_64-linux-gnu/libstdc++.so.6";
        yield return "/lib/x86_64-linux-gnu/libstdc++.so.6";
        yield return "/usr/lib64/libstdc++.so.6";
        yield return "/lib64/libstdc++.so.6";
        yield return "/usr/lib/libstdc++.so.6";
    }

    /// <summary>The versions the first system libstdc++ found defines, or null when none is found.</summary>
    public static IReadOnlySet<string>? SystemLibstdcxxVersions(IEnumerable<string>? candidates = null)
    {
        foreach (var path in candidates ?? SystemLibstdcxxCandidates())
            if (File.Exists(path))
                return ElfVersionRequirements.ReadDefinitions(File.ReadAllBytes(path));
        return null;
    }

    /// <summary>
    /// Weakens, in every <c>libLibTorchSharp.so</c> under <paramref name="outputDirectory"/>, the weakenable
    /// versions that <paramref name="systemVersions"/> lacks. The file is rewritten through a temporary copy
    /// and a rename, so a hard link into a package cache is never modified. Returns one line per change.
    /// </summary>
    public static IReadOnlyList<string> Apply(string outputDirectory, IReadOnlySet<string> systemVersions)
    {
        var changes = new List<string>();
        if (!Directory.Exists(outputDirectory)) return changes;
        foreach (var path in Directory.EnumerateFiles(outputDirectory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            byte[] bytes = File.ReadAllBytes(path);
            var weakened = new List<string>();
            foreach (var version in WeakenableVersions)
                if (!systemVersions.Contains(version) && ElfVersionRequirements.MarkWeak(bytes, version))
                    weakened.Add(version);
            if (weakened.Count == 0) continue;
            string temporary = path + ".fixup-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
            changes.Add($"{path}: marked {string.Join(", ", weakened)} weak (system libstdc++ lacks it)");
        }
        return changes;
    }
}
