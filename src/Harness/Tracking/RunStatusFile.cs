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

    /// <summary>
    /// The status at <paramref name="path"/>, or null when the file does not exist. A damaged file (empty, cut short,
    /// not JSON) reads as <see cref="RunState.Interrupted"/> with the damage as its reason: one bad file concerns its
    /// run only, which then resumes from its checkpoint, and never stops a whole sweep, status or report.
    /// </summary>
    public static RunStatus? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        var (status, damage) = Parse(path);
        return status ?? new RunStatus(RunState.Interrupted, 0, 0, $"{damage}; {RunFileCheck.Advice}", null, "", 0, "");
    }

    /// <summary>Why the status file at <paramref name="path"/> cannot be read, or null when it reads (or does not exist).</summary>
    public static string? Damage(string path) => File.Exists(path) ? Parse(path).Damage : null;

    private static (RunStatus? Status, string? Damage) Parse(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { return (null, $"{path}: cannot be read ({e.Message})"); }
        if (text.Trim().Length == 0) return (null, $"{path} is empty");
        try
        {
            return JsonSerializer.Deserialize<RunStatus>(text, Options) is { } status ? (status, null) : (null, $"{path} holds no status");
        }
        catch (JsonException e)
        {
            return (null, $"{path} is damaged ({e.Message})");
        }
    }
}
