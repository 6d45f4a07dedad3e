using Harness.Specs;
using Harness.Tracking;

namespace Harness.Cli.Commands;

/// <summary>
/// Keeps beside the results the spec they came from (<c>experiment.yaml</c>, with the overrides noted) and its
/// published numbers (<c>published.yaml</c>), so a report can be made from a copied results folder alone.
/// </summary>
internal static class ExperimentSnapshot
{
    public const string SpecFile = "experiment.yaml", PublishedFile = "published.yaml";

    public static void Write(ResultsLayout layout, ExperimentSpec spec, string sourceText, IReadOnlyList<string> overrides)
    {
        string header = $"# Copied from {spec.SourcePath}" + (overrides.Count > 0 ? $" with --set {string.Join(" --set ", overrides)}" : "") + "\n";
        AtomicFile.WriteAllText(Path.Combine(layout.ExperimentDirectory, SpecFile), header + sourceText);
        string published = Path.Combine(layout.ExperimentDirectory, PublishedFile);
        if (spec.Published is not null) AtomicFile.WriteAllText(published, RunRecordYaml.SerializeObject(spec.Published));
        else if (File.Exists(published)) File.Delete(published);
    }

    /// <summary>
    /// The experiment name and tracking settings of the spec the results came from (its overrides applied again), or
    /// null when the folder has no copy of its spec.
    /// </summary>
    public static (string Name, TrackingSpec Tracking)? ReadTracking(ResultsLayout layout)
    {
        string path = Path.Combine(layout.ExperimentDirectory, SpecFile);
        if (!File.Exists(path)) return null;
        string text = File.ReadAllText(path);
        string first = text.Split('\n', 2)[0];
        var overrides = new List<string>();
        int with = first.StartsWith("# Copied from ", StringComparison.Ordinal) ? first.IndexOf(" with --set ", StringComparison.Ordinal) : -1;
        if (with >= 0)
            overrides.AddRange(first[(with + " with --set ".Length)..].TrimEnd('\r').Split(" --set ", StringSplitOptions.RemoveEmptyEntries));
        return SpecLoader.ParseTracking(text, path, overrides);
    }

    public static PublishedSpec? ReadPublished(ResultsLayout layout)
    {
        string path = Path.Combine(layout.ExperimentDirectory, PublishedFile);
        return File.Exists(path) ? RunRecordYaml.Deserialize<PublishedSpec>(File.ReadAllText(path)) : null;
    }
}
