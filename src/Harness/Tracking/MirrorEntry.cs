namespace Harness.Tracking;

/// <summary>One kind of mirror a sweep can feed besides the run's own files and log.</summary>
/// <param name="Name">Its name in the README and messages.</param>
/// <param name="WhenOn">When it is on, in one line.</param>
/// <param name="Open">Opens it for an experiment; null when the experiment does not ask for it.</param>
public sealed record MirrorEntry(string Name, string WhenOn, Func<MirrorContext, IMetricSink?> Open);
