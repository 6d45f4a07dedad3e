using Harness.Tracking.Mlflow;

namespace Harness.Tracking;

/// <summary>
/// The registry of mirrors: sinks that copy runs somewhere else while they train (the run's files and log are
/// always written first, by the executor). Adding a mirror is its sink's file, with an <c>Open</c> that decides
/// from the spec whether it is wanted, plus one line here.
/// </summary>
public static class Mirrors
{
    /// <summary>Every mirror, in the order it is fed.</summary>
    public static IReadOnlyList<MirrorEntry> All { get; } =
    [
        new("mlflow", "`tracking.mlflow` in the spec, or `MLFLOW_TRACKING_URI` set", MlflowSink.Open),
    ];

    /// <summary>The mirrors <paramref name="context"/>'s experiment asks for, opened (the caller disposes them).</summary>
    public static IReadOnlyList<IMetricSink> Open(MirrorContext context) =>
        All.Select(entry => entry.Open(context)).OfType<IMetricSink>().ToArray();
}
