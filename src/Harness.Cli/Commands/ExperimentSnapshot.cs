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

    public static PublishedSpec? ReadPublished(ResultsLayout layout)
    {
        string path = Path.Combine(layout.ExperimentDirectory, PublishedFile);
        return File.Exists(path) ? RunRecordYaml.Deserialize<PublishedSpec>(File.ReadAllText(path)) : null;
    }
}
