namespace Harness.Specs;

/// <summary>A spec could not be used; <see cref="Errors"/> lists every problem found, not just the first.</summary>
public sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.ToString())))
{
    /// <summary>Every error, in file order.</summary>
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
