using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Harness.Tests.Parity;

/// <summary>
/// The hidden <c>harness parity-worker</c> (what <c>make parity</c> compares with PyTorch) writes a self-consistent
/// record of a run through the real trainer. These tests need no PyTorch: the comparison itself is <c>make parity</c>.
/// </summary>
public sealed class ParityWorkerTests : IDisposable
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "Harness.Cli.dll");
    private readonly string folder = Path.Combine(Path.GetTempPath(), "harness-parity-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    private string Worker(string name, params string[] extra)
    {
        string output = Path.Combine(folder, name);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Cli, "parity-worker", "--workload", "cifar-small", "--optimizer", "sgd", "--steps", "16", "--out", output }.Concat(extra))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"parity-worker exited {process.ExitCode}: {stderr}{stdout.Result}");
        return output;
    }

    private static T[] Read<T>(string output, string file) where T : unmanaged =>
        MemoryMarshal.Cast<byte, T>(File.ReadAllBytes(Path.Combine(output, file))).ToArray();

    [Fact]
    public void The_record_holds_every_step_of_whole_epochs_and_the_batches_are_each_epochs_permutation()
    {
        var output = Worker("f64");

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "manifest.json")));
        var root = manifest.RootElement;
        int images = root.GetProperty("train_images").GetInt32(), batch = root.GetProperty("batch_size").GetInt32();
        int epochs = root.GetProperty("epochs").GetInt32(), steps = root.GetProperty("steps").GetInt32();
        int perEpoch = (images + batch - 1) / batch;
        Assert.Equal("float64", root.GetProperty("dtype").GetString());
        Assert.True(steps >= 16 && steps == epochs * perEpoch, $"{steps} steps in {epochs} epochs of {perEpoch}");

        var lengths = root.GetProperty("batch_lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var batches = Read<long>(output, "batches.i64");
        Assert.Equal(steps, lengths.Length);
        Assert.Equal(epochs * images, batches.Length);
        for (int e = 0; e < epochs; e++)
            Assert.Equal(Enumerable.Range(0, images).Select(i => (long)i), batches.Skip(e * images).Take(images).Order());

        var losses = Read<double>(output, "losses.f64");
        Assert.Equal(steps, losses.Length);
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));

        // cifar-small has 47,370 parameters (reference/published-results.md); training moved them.
        var initial = Read<double>(output, "initial.f64");
        var final = Read<double>(output, "final.f64");
        Assert.Equal(47_370, initial.Length);
        Assert.Equal(47_370, final.Length);
        Assert.NotEqual(initial, final);
        Assert.Equal(3 * 32 * 32 * images, Read<float>(output, "images.f32").Length);
    }

    [Fact]
    public void A_rerun_is_bit_identical_and_float32_starts_from_the_same_weights()
    {
        var first = Worker("a");
        var second = Worker("b");
        var single = Worker("f32", "--dtype", "float32");

        foreach (var file in new[] { "initial.f64", "batches.i64", "losses.f64", "final.f64" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        Assert.Equal(Read<double>(first, "initial.f64"), Read<double>(single, "initial.f64"));
        Assert.Equal(Read<long>(first, "batches.i64"), Read<long>(single, "batches.i64"));
        Assert.Equal(Read<double>(first, "losses.f64")[0], Read<double>(single, "losses.f64")[0], 1e-5);
    }
}
