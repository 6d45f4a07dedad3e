namespace Harness.Tests.Reporting;

/// <summary>
/// The checked-in outcome experiment (<see cref="TinyExperiment.Outcomes"/>: one collapsed and one stuck run beside
/// runs that learned, some written by an older build), reported once with figures for <see cref="OutcomeReportTests"/>.
/// </summary>
public sealed class OutcomeReportFixture : ReportFixture
{
    public OutcomeReportFixture() : base("outcome_experiment", TinyExperiment.Outcomes(), images: false)
    {
    }
}
