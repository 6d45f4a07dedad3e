using Harness.Native;

namespace Harness.Tests.Native;

public sealed class CpuAllocatorTests
{
    [Fact]
    public void By_default_glibc_on_linux_is_tuned()
    {
        var decision = CpuAllocator.Plan(null, null, null, isLinux: true);
        Assert.True(decision.Tune);
        Assert.Contains("no mmap blocks", decision.Description);
    }

    [Fact]
    public void A_process_that_trains_fused_groups_keeps_its_freed_memory_and_says_so()
    {
        var decision = CpuAllocator.Plan(null, null, null, isLinux: true, keepFreedMemory: true);
        Assert.True(decision.Tune);
        Assert.Equal("glibc tuned (no mmap blocks, freed memory kept)", decision.Description);
        Assert.Contains("system malloc", CpuAllocator.Plan("system", null, null, true, keepFreedMemory: true).Description);
    }

    [Theory]
    [InlineData("system", null, null, true, "system malloc")]
    [InlineData(null, "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", null, true, "preloaded libtcmalloc_minimal.so.4")]
    [InlineData("tuned", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", null, true, "preloaded libjemalloc.so.2")]
    [InlineData(null, null, "glibc.malloc.mmap_max=0", true, "GLIBC_TUNABLES=glibc.malloc.mmap_max=0")]
    [InlineData(null, null, null, false, "tuning is for glibc on Linux")]
    public void A_users_own_choice_or_another_platform_is_left_alone(string? setting, string? preload, string? tunables, bool linux, string described)
    {
        var decision = CpuAllocator.Plan(setting, preload, tunables, linux);
        Assert.False(decision.Tune);
        Assert.Contains(described, decision.Description);
    }

    [Fact]
    public void An_unknown_setting_names_the_variable_and_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => CpuAllocator.Plan("fast", null, null, true));
        Assert.Contains("HARNESS_CPU_ALLOCATOR='fast'", error.Message);
        Assert.Contains("'tuned'", error.Message);
        Assert.Contains("'system'", error.Message);
    }

    [Fact]
    public void On_this_machine_the_process_reports_what_it_did()
    {
        string applied = CpuAllocator.Ensure();
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("HARNESS_CPU_ALLOCATOR") is null
            && Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is null && Environment.GetEnvironmentVariable("LD_PRELOAD") is null)
            Assert.StartsWith("glibc tuned", applied); // mallopt was found and accepted both settings
        Assert.Equal(applied, TorchRuntime.Versions()["cpu_allocator"]);
    }
}
