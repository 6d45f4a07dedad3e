namespace Harness.Data;

/// <summary>
/// Data preparation failed. Carries every problem found (each bad file with its path and reason, class
/// mismatches, missing folders), not just the first, so that a researcher fixes a folder in one pass.
/// </summary>
public sealed class DataException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public DataException(IReadOnlyList<string> problems)
        : base(Format(problems))
    {
        Problems = problems;
    }

    /// <summary>Creates the exception from one problem.</summary>
    public DataException(string problem)
        : this([problem])
    {
    }

    /// <summary>Every problem found, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Format(IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? problems[0]
            : $"{problems.Count} data problems:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems);
}
