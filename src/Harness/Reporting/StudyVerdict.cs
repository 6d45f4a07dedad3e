namespace Harness.Reporting;

/// <summary>What the study concludes about one published finding.</summary>
public enum StudyVerdict
{
    /// <summary>The reproduced numbers satisfy the finding's stated rule.</summary>
    Reproduced,

    /// <summary>The experiment ran, and its numbers do not satisfy the rule.</summary>
    NotReproduced,

    /// <summary>An experiment the finding needs has no finished run (not run, data absent, or failed).</summary>
    NotRun,
}
