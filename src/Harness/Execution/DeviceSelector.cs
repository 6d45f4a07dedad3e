using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Execution;

/// <summary>Turns the spec's <c>device</c> (auto, cpu, cuda, cuda:N) into a torch device, failing clearly when CUDA is asked for but absent.</summary>
public static class DeviceSelector
{
    /// <summary>The device for <paramref name="requested"/> and a description for run.yaml (e.g. <c>cpu</c>, <c>cuda:0</c>).</summary>
    public static (Device Device, string Description) Resolve(string requested)
    {
        bool cuda = torch.cuda.is_available();
        switch (requested)
        {
            case "auto":
                return cuda ? (torch.CUDA, "cuda:0") : (torch.CPU, "cpu");
            case "cpu":
                return (torch.CPU, "cpu");
        }
        if (requested == "cuda" || requested.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda)
                throw new InvalidOperationException(
                    $"device '{requested}' was requested but CUDA is not available: build with 'make build BACKEND=cuda' on a machine with an NVIDIA driver, or use device: auto/cpu.");
            int index = requested == "cuda" ? 0 : int.Parse(requested[5..], System.Globalization.CultureInfo.InvariantCulture);
            if (index >= torch.cuda.device_count())
                throw new InvalidOperationException($"device '{requested}': only {torch.cuda.device_count()} CUDA device(s) present.");
            return (new Device(DeviceType.CUDA, index), $"cuda:{index}");
        }
        throw new ArgumentException($"unknown device '{requested}' (auto, cpu, cuda, cuda:N)");
    }
}
