namespace Harness.Specs;

/// <summary>Data folders are written relative to the spec file (or absolute); RunSpecs keep them as written so RunIds do not depend on where the checkout lives.</summary>
public static class SpecPaths
{
    /// <summary>The absolute folder for <paramref name="path"/> as written in the spec at <paramref name="specPath"/>.</summary>
    public static string Resolve(string specPath, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath)) ?? ".", path));
}
