using System.Text.Json;

namespace Harness.Tracking;

/// <summary>Reads and atomically writes <c>status.json</c>.</summary>
public static class RunStatusFile
{
    private static readonly JsonSerializerOptions Options = new(RunRecordYaml.JsonOptions) { WriteIndented = true };

    /// <summary>Writes a status (temporary file, then rename).</summary>
    public static void Write(string path, RunStatus status) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(status, Options) + "\n");

    /// <summary>A status stamped with this host, process and the current time.</summary>
    public static RunStatus Now(RunState state, int epochsCompleted, int epochs, string? reason = null, string? exception = null,
        Harness.Training.TrainingVerdict? verdict = null) =>
        new(state, epochsCompleted, epochs, reason, exception, Environment.MachineName, Environment.ProcessId,
            DateTime.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            verdict?.Outcome, verdict?.Why, verdict?.CollapseEpoch, verdict?.ChanceAccuracy);

    /// <summary>The status at <paramref name="path"/>, or null when the file does not exist.</summary>
    public static RunStatus? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunStatus>(File.ReadAllText(path), Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: unreadable status: {e.Message}", e);
        }
    }
}
