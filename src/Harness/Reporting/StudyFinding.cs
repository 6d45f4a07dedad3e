namespace Harness.Reporting;

/// <summary>One finding of the published study with its verdict and the paragraph that justifies it.</summary>
/// <param name="Number">Its number in the study (1 to 6).</param>
/// <param name="Title">The finding in a few words.</param>
/// <param name="Experiments">The experiments the verdict rests on.</param>
/// <param name="Verdict">Reproduced, not reproduced, or not run.</param>
/// <param name="Paragraph">The numbers, the rule applied, and the verdict, in one paragraph.</param>
public sealed record StudyFinding(int Number, string Title, IReadOnlyList<string> Experiments, StudyVerdict Verdict, string Paragraph)
{
    /// <summary>The verdict as written in files and headings: <c>reproduced</c>, <c>not reproduced</c>, <c>not run</c>.</summary>
    public string VerdictWords => Verdict switch
    {
        StudyVerdict.Reproduced => "reproduced",
        StudyVerdict.NotReproduced => "not reproduced",
        _ => "not run",
    };
}
