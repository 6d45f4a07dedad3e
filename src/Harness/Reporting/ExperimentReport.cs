namespace Harness.Reporting;

/// <summary>Entry point of <c>harness report</c>.</summary>
public static class ExperimentReport
{
    /// <summary>Placeholder.</summary>
    public static ReportResult Write(Harness.Tracking.ResultsLayout layout, Harness.Specs.PublishedSpec? published, ReportOptions options) =>
        throw new NotImplementedException();
}
