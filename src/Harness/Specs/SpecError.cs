namespace Harness.Specs;

/// <summary>One problem in a spec, located precisely: <c>file:line:column: key.path: message</c>.</summary>
/// <param name="File">Spec file, or <c>--set</c> for an override.</param>
/// <param name="Line">1-based line (for an override: its position among the overrides).</param>
/// <param name="Column">1-based column.</param>
/// <param name="KeyPath">Dotted key path, e.g. <c>optimizer.betas</c>.</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record SpecError(string File, int Line, int Column, string KeyPath, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {(KeyPath.Length > 0 ? KeyPath + ": " : "")}{Message}";
}
