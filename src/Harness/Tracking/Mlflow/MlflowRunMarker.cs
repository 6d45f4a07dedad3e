using System.Text.Json;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// The content of a run's <c>mlflow.json</c>: which MLflow run mirrors it and how far the live sink got. Informational
/// (the sync finds runs by tag and recomputes what is missing from the server itself); no credentials.
/// </summary>
/// <param name="TrackingUri">Server, credentials masked.</param>
/// <param name="ExperimentId">MLflow experiment id.</param>
/// <param name="MlflowRunId">MLflow run id, once known.</param>
/// <param name="LastEpochSent">Highest epoch whose metrics the server acknowledged (0 = none).</param>
/// <param name="EpochsUnsent">Epochs received by the sink but not acknowledged by the server.</param>
/// <param name="StatusSent">Final status sent, if any.</param>
/// <param name="Note">Why the mirror is incomplete, if it is.</param>
/// <param name="UpdatedUtc">When written.</param>
public sealed record MlflowRunMarker(
    string TrackingUri,
    string? ExperimentId,
    string? MlflowRunId,
    int LastEpochSent,
    IReadOnlyList<int> EpochsUnsent,
    string? StatusSent,
    string? Note,
    string UpdatedUtc)
{
    /// <summary>File name inside the run folder.</summary>
    public const string FileName = "mlflow.json";

    private static readonly JsonSerializerOptions Json = new(RunRecordYaml.JsonOptions) { WriteIndented = true };

    /// <summary>Writes the marker into <paramref name="runFolder"/> (atomically; only when the folder exists).</summary>
    /// <exception cref="IOException">The folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is read-only.</exception>
    public void Write(string runFolder)
    {
        if (!Directory.Exists(runFolder)) return;
        AtomicFile.WriteAllText(Path.Combine(runFolder, FileName), JsonSerializer.Serialize(this, Json) + "\n");
    }
}
