using System.Security.Cryptography;
using Harness.NativeFixup;

namespace Harness.Tests.Native;

public sealed class LibTorchSharpFixupTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("fixup-").FullName;

    private static string PackagedLibTorchSharp()
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(root, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    [Fact]
    public void Packaged_library_requires_GLIBCXX_3_4_32_strongly()
    {
        var requirements = ElfVersionRequirements.ReadRequirements(File.ReadAllBytes(PackagedLibTorchSharp()));
        var marker = Assert.Single(requirements, r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", marker.Library);
        Assert.False(marker.IsWeak);
        Assert.Contains(requirements, r => r.Version == "GLIBCXX_3.4.19");
    }

    [Fact]
    public void Apply_weakens_only_the_marker_in_the_copy_and_never_touches_the_package_cache()
    {
        string source = PackagedLibTorchSharp();
        byte[] before = SHA256.HashData(File.ReadAllBytes(source));
        string native = Directory.CreateDirectory(Path.Combine(temp, "runtimes", "linux-x64", "native")).FullName;
        string copy = Path.Combine(native, "libLibTorchSharp.so");
        File.Copy(source, copy);
        var oldSystem = new HashSet<string> { "GLIBCXX_3.4.19", "GLIBCXX_3.4.30" };

        var changes = LibTorchSharpFixup.Apply(temp, oldSystem);

        Assert.Single(changes);
        var after = ElfVersionRequirements.ReadRequirements(File.ReadAllBytes(copy));
        Assert.True(after.Single(r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(after.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(source)));
        Assert.Empty(LibTorchSharpFixup.Apply(temp, oldSystem)); // idempotent
    }

    [Fact]
    public void Apply_changes_nothing_where_the_system_libstdcxx_is_new_enough()
    {
        string native = Directory.CreateDirectory(Path.Combine(temp, "native")).FullName;
        File.Copy(PackagedLibTorchSharp(), Path.Combine(native, "libLibTorchSharp.so"));
        Assert.Empty(LibTorchSharpFixup.Apply(temp, new HashSet<string> { "GLIBCXX_3.4.32" }));
    }

    [Fact]
    public void System_libstdcxx_versions_are_read_from_its_version_definitions()
    {
        var versions = LibTorchSharpFixup.SystemLibstdcxxVersions();
        Assert.NotNull(versions);
        Assert.Contains("GLIBCXX_3.4.19", versions);
    }

    [Fact]
    public void The_build_output_copy_loads_here()
    {
        // The test project's own output was fixed by the build; loading torch proves the fix works on this machine.
        using var t = TorchSharp.torch.ones(3);
        Assert.Equal(3f, t.sum().item<float>());
    }

    public void Dispose() => Directory.Delete(temp, recursive: true);
}
