using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Data.Sources;
using Harness.Specs;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// How a harness run looks in MLflow: one experiment per spec, one parent run per harness experiment (tags
/// <c>harness.parent = true</c> and <c>harness.experiment</c>), one child run per harness run (tag
/// <c>mlflow.parentRunId</c>, found again by <c>harness.run_id</c>), the resolved <see cref="RunSpec"/> flattened into
/// params, provenance as tags, per-epoch metrics with step = epoch and the <see cref="MetricColumns"/> names, and
/// summary metrics at the end.
/// </summary>
public static class MlflowRunMapping
{
    /// <summary>Tag holding the harness RunId (the idempotency key of a child run).</summary>
    public const string RunIdTag = "harness.run_id";
    /// <summary>Tag holding the harness experiment name.</summary>
    public const string ExperimentTag = "harness.experiment";
    /// <summary>Tag marking the parent run of a harness experiment.</summary>
    public const string ParentTag = "harness.parent";
    /// <summary>MLflow's tag linking a child to its parent.</summary>
    public const string ParentRunIdTag = "mlflow.parentRunId";
    /// <summary>MLflow's run-name tag.</summary>
    public const string RunNameTag = "mlflow.runName";

    /// <summary>MLflow's tag naming what produced a run (the UI's Source column).</summary>
    public const string SourceNameTag = "mlflow.source.name";
    /// <summary>MLflow's tag saying what kind of source that is (NOTEBOOK, JOB, PROJECT, LOCAL, UNKNOWN).</summary>
    public const string SourceTypeTag = "mlflow.source.type";
    /// <summary>Tag holding why a run failed or stopped (status.json's reason).</summary>
    public const string ReasonTag = "harness.status_reason";

    /// <summary>The source tags every harness run carries: a program run from a command line is MLflow's LOCAL source.</summary>
    public static IReadOnlyDictionary<string, string> SourceTags { get; } = new Dictionary<string, string>
    {
        [SourceNameTag] = "harness",
        [SourceTypeTag] = "LOCAL",
    };

    /// <summary>The summary metric names.</summary>
    public static readonly IReadOnlyList<string> SummaryKeys =
        ["final_test_accuracy", "peak_test_accuracy", "final_train_accuracy", "memorization_epoch"];

    /// <summary>Tag holding a finished run's training outcome: learned, stuck_at_chance or collapsed.</summary>
    public const string OutcomeTag = "harness.outcome";
    /// <summary>Tag holding the epoch a collapsed run fell back to chance.</summary>
    public const string CollapseEpochTag = "harness.collapse_epoch";

    /// <summary>
    /// The outcome tags of a finished run (none without an outcome) that <paramref name="existing"/> lacks or holds with
    /// another value, so that the UI can filter <c>tags.harness.outcome = 'learned'</c>.
    /// </summary>
    public static List<KeyValuePair<string, string>> OutcomeTags(Harness.Training.TrainingOutcome? outcome, int? collapseEpoch, IReadOnlyDictionary<string, string> existing)
    {
        var tags = new List<KeyValuePair<string, string>>();
        if (outcome is not { } o) return tags;
        tags.Add(new(OutcomeTag, Harness.Training.TrainingOutcomeRules.Label(o)));
        if (collapseEpoch is { } e) tags.Add(new(CollapseEpochTag, e.ToString(CultureInfo.InvariantCulture)));
        return tags.Where(t => !existing.TryGetValue(t.Key, out var v) || v != t.Value).ToList();
    }

    /// <summary>Tags of the parent run of harness experiment <paramref name="experiment"/>.</summary>
    public static IReadOnlyDictionary<string, string> ParentTags(string experiment) => new Dictionary<string, string>(SourceTags)
    {
        [ParentTag] = "true",
        [ExperimentTag] = experiment,
        [RunNameTag] = experiment,
    };

    /// <summary>
    /// The reason tag of a run that failed or was stopped (none otherwise, or when <paramref name="existing"/> has it):
    /// a run that failed before its first epoch has nothing else in MLflow to say why.
    /// </summary>
    public static List<KeyValuePair<string, string>> ReasonTags(RunState state, string? reason, IReadOnlyDictionary<string, string> existing)
    {
        if (state is not (RunState.Failed or RunState.Interrupted) || string.IsNullOrWhiteSpace(reason)) return [];
        string value = MlflowKeys.FitTagValue(reason);
        return existing.TryGetValue(ReasonTag, out var v) && v == value ? [] : [new(ReasonTag, value)];
    }

    /// <summary>
    /// The run's training data as an MLflow dataset input: named after its source, the data fingerprint (cut to MLflow's
    /// 36 characters) as digest, the source as JSON, class and image counts as profile. Null when the run never got as far
    /// as its data (no fingerprint).
    /// </summary>
    public static MlflowDataset? Dataset(RunRecord record)
    {
        if (string.IsNullOrWhiteSpace(record.DataFingerprint)) return null;
        var data = record.Spec.Data;
        var (name, type, uri) = data.Source is { } spec ? DataSources.Of(spec).Origin(spec) : ("data", "local", "");
        if (string.IsNullOrEmpty(name)) name = "data";
        var source = new JsonObject { ["uri"] = uri }.ToJsonString();
        var profile = new JsonObject { ["classes"] = record.ClassNames.Count };
        if (record.DataNotes.TryGetValue("train_images_used", out var used) && long.TryParse(used, NumberStyles.Integer, CultureInfo.InvariantCulture, out long n))
            profile["train_images"] = n;
        string digest = record.DataFingerprint.Length > MlflowDataset.MaxDigestLength ? record.DataFingerprint[..MlflowDataset.MaxDigestLength] : record.DataFingerprint;
        return new MlflowDataset(name.Length > MlflowDataset.MaxNameLength ? name[..MlflowDataset.MaxNameLength] : name, digest, type,
            source.Length > MlflowDataset.MaxSourceLength ? new JsonObject { ["uri"] = "(too long)" }.ToJsonString() : source,
            profile.ToJsonString(), "train");
    }

    /// <summary>Tags of a child run: identity, provenance and the link to its parent.</summary>
    public static IReadOnlyDictionary<string, string> Tags(RunRecord record, string parentRunId)
    {
        var s = record.Spec;
        var tags = new Dictionary<string, string>(SourceTags)
        {
            [RunIdTag] = s.RunId,
            [ExperimentTag] = s.Experiment,
            ["harness.condition"] = s.Condition,
            ["harness.seed"] = s.Seed.ToString(CultureInfo.InvariantCulture),
            ["harness.architecture"] = s.Architecture,
            ["harness.color_mode"] = s.Image.ColorMode.ToString(),
            ["harness.git_dirty"] = record.GitDirty ? "true" : "false",
            ["harness.host"] = record.Host,
            ["harness.device"] = record.Device,
            ["harness.data_fingerprint"] = record.DataFingerprint,
            ["mlflow.source.git.commit"] = record.GitCommit,
            [RunNameTag] = s.DisplayName,
            [ParentRunIdTag] = parentRunId,
        };
        foreach (var v in record.Versions) tags[MlflowKeys.Sanitize("harness.version." + v.Key)] = v.Value;
        return tags;
    }

    /// <summary>
    /// The resolved spec as params: nested records flattened with dots and snake_case names (<c>optimizer.learning_rate</c>,
    /// <c>image.color_mode</c>, <c>data.synthetic.preset</c>, <c>seed</c>, <c>grid.optimizer.learning_rate</c>, ...);
    /// lists of plain values joined with commas, lists of records indexed (<c>data.folders.tests.0.name</c>); nulls
    /// left out; the colour mode as its short name. Values longer than 6000 characters are shortened with a hash
    /// (<see cref="MlflowKeys.FitParamValue"/>).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Params(RunSpec spec)
    {
        var tree = JsonSerializer.SerializeToNode(spec, RunRecordYaml.JsonOptions)!.AsObject();
        tree.Remove("grid_point");
        tree.Remove("display_name");
        if (tree["image"] is JsonObject image)
        {
            image["color_mode"] = spec.Image.ColorMode.ToString();
            if (spec.Image.ColorMode.Kind == "mono") image["mono_reduction"] = spec.Image.ColorMode.MonoReduction;
        }
        var result = new List<KeyValuePair<string, string>>();
        Flatten(tree, "", result);
        foreach (var g in spec.GridPoint.OrderBy(g => g.Key, StringComparer.Ordinal))
            result.Add(KeyValuePair.Create("grid." + g.Key, g.Value));
        return result
            .Select(p => KeyValuePair.Create(MlflowKeys.Sanitize(p.Key), MlflowKeys.FitParamValue(p.Value)))
            .DistinctBy(p => p.Key)
            .ToList();
    }

    private static void Flatten(JsonNode? node, string prefix, List<KeyValuePair<string, string>> into)
    {
        switch (node)
        {
            case null:
                return;
            case JsonObject obj:
                foreach (var (name, child) in obj) Flatten(child, prefix.Length == 0 ? name : $"{prefix}.{name}", into);
                return;
            case JsonArray array when array.All(x => x is JsonValue or null):
                into.Add(KeyValuePair.Create(prefix, string.Join(",", array.Select(Scalar))));
                return;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++) Flatten(array[i], $"{prefix}.{i}", into);
                return;
            default:
                into.Add(KeyValuePair.Create(prefix, Scalar(node)));
                return;
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// The summary metrics of a run from its epochs (epoch, train_accuracy, test_accuracy), all at step = last epoch:
    /// final and peak test accuracy, final train accuracy, and <c>memorization_epoch</c> (first epoch with train accuracy
    /// at least 1 − 1e-9) only when there is one. Empty without epochs.
    /// </summary>
    public static IReadOnlyList<MlflowMetric> Summary(IReadOnlyList<(int Epoch, double TrainAccuracy, double TestAccuracy)> epochs, long timestamp)
    {
        if (epochs.Count == 0) return [];
        var ordered = epochs.OrderBy(e => e.Epoch).ToList();
        var last = ordered[^1];
        var tests = ordered.Select(e => e.TestAccuracy).Where(a => !double.IsNaN(a)).ToList();
        var summary = new List<MlflowMetric>
        {
            new("final_test_accuracy", last.TestAccuracy, timestamp, last.Epoch),
            new("peak_test_accuracy", tests.Count > 0 ? tests.Max() : double.NaN, timestamp, last.Epoch),
            new("final_train_accuracy", last.TrainAccuracy, timestamp, last.Epoch),
        };
        foreach (var e in ordered)
            if (e.TrainAccuracy >= 1 - 1e-9)
            {
                summary.Add(new("memorization_epoch", e.Epoch, timestamp, last.Epoch));
                break;
            }
        return summary;
    }

    /// <summary>Milliseconds since the Unix epoch of an ISO 8601 time, or null when it does not parse.</summary>
    public static long? Millis(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUnixTimeMilliseconds() : null;
}
