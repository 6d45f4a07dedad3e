using Harness.Specs;

namespace Harness.Tracking;

/// <summary>
/// Everything that makes a run's result reproducible, written as <c>run.yaml</c> beside its metrics:
/// the resolved spec, and where, with what and on which data it ran.
/// </summary>
/// <param name="Spec">The resolved run (its seed and RunId included).</param>
/// <param name="GitCommit">Commit of the harness source, or "unknown".</param>
/// <param name="GitDirty">Whether the working tree had uncommitted changes.</param>
/// <param name="Versions">Versions of the harness, .NET, TorchSharp and libtorch.</param>
/// <param name="Device">The device actually used, e.g. <c>cpu</c> or <c>cuda:0 (NVIDIA H100)</c>.</param>
/// <param name="Host">Machine name.</param>
/// <param name="ClassNames">Class index to class name (index = position).</param>
/// <param name="DataFingerprint">Hash of the data files' contents and preprocessing.</param>
/// <param name="DataNotes">What data preparation found: counts per class, phantom files ignored, Bayes-optimal accuracy of synthetic presets, ...</param>
/// <param name="StartedUtc">When the run (first) started, ISO 8601.</param>
/// <param name="ResumedFromEpoch">Last completed epoch this start resumes after (0 = fresh).</param>
public sealed record RunRecord(
    RunSpec Spec,
    string GitCommit,
    bool GitDirty,
    IReadOnlyDictionary<string, string> Versions,
    string Device,
    string Host,
    IReadOnlyList<string> ClassNames,
    string DataFingerprint,
    IReadOnlyDictionary<string, string> DataNotes,
    string StartedUtc,
    int ResumedFromEpoch = 0);
