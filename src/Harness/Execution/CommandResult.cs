namespace Harness.Execution;

/// <summary>What an external command did: its exit code and everything it printed.</summary>
/// <param name="ExitCode">Exit status (0 = success).</param>
/// <param name="StandardOutput">Its standard output.</param>
/// <param name="StandardError">Its standard error.</param>
public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
