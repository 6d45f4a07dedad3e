namespace Harness.Specs;

/// <summary>A YAML node with its position, as the strict loader sees it (our own tree, so duplicates and positions are ours to report).</summary>
/// <param name="File">Where it came from (spec file or <c>--set</c>).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public abstract record SpecNode(string File, int Line, int Column);

/// <summary>A scalar; <see cref="Plain"/> is false for quoted scalars (never typed as numbers or booleans).</summary>
public sealed record SpecScalar(string File, int Line, int Column, string Value, bool Plain) : SpecNode(File, Line, Column);

/// <summary>A sequence.</summary>
public sealed record SpecSequence(string File, int Line, int Column, IReadOnlyList<SpecNode> Items) : SpecNode(File, Line, Column);

/// <summary>A mapping with keys in file order.</summary>
public sealed record SpecMapping(string File, int Line, int Column, IReadOnlyList<KeyValuePair<SpecScalar, SpecNode>> Entries) : SpecNode(File, Line, Column);
