namespace Harness.Reporting;

/// <summary>One experiment as the study found it: analysed when it has finished runs, otherwise the reason it has none.</summary>
/// <param name="Experiment">What was looked for.</param>
/// <param name="Analysis">The same analysis <c>harness report</c> makes; null when the experiment was not run.</param>
/// <param name="NotRunReason">Why there is no analysis (no results folder, no finished run, data absent); null when analysed.</param>
/// <param name="Figures">The experiment's figures as copied into the study's figures folder.</param>
public sealed record StudyEntry(StudyExperiment Experiment, ExperimentAnalysis? Analysis, string? NotRunReason, IReadOnlyList<FigureFile> Figures)
{
    /// <summary>Whether the experiment has finished runs to judge.</summary>
    public bool Ran => Analysis is not null;
}
