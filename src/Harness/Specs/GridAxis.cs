namespace Harness.Specs;

/// <summary>One axis of the experiment grid: a key path (as in <c>--set</c>) and the values it takes.</summary>
/// <param name="KeyPath">E.g. <c>architecture</c> or <c>image.color_mode</c>.</param>
/// <param name="Values">The values, as written in YAML (scalars).</param>
public sealed record GridAxis(string KeyPath, IReadOnlyList<string> Values);
