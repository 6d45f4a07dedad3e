namespace Harness.Native;

/// <summary>libtorch could not be loaded; the message says why and what to do.</summary>
public sealed class TorchUnavailableException(string message) : Exception(message);
