using Harness.Tracking;
using Harness.Training;

namespace Harness.Execution;

/// <summary>
/// Hands a run's life to the mirror sinks (log file, console, MLflow, ...), each on its own: a sink that throws is
/// named in one warning and switched off for that run, and training goes on. The run's own files are written by
/// <see cref="RunStore"/> before any sink is called, so a mirror can never cost a result.
/// </summary>
/// <param name="sinks">The mirrors, called in this order.</param>
/// <param name="warn">Receives the one-line warning of a failing sink: the run, the sink, the message.</param>
public sealed class SinkFanout(IReadOnlyList<IMetricSink> sinks, Action<RunRecord, IMetricSink, string> warn)
{
    private readonly HashSet<(IMetricSink Sink, string RunId)> off = [];

    /// <summary>A run starts or resumes.</summary>
    public void RunStarted(RunRecord run) => Each(run, "its start", sink => sink.RunStarted(run));

    /// <summary>One epoch of the run finished.</summary>
    public void EpochCompleted(RunRecord run, EpochMetrics metrics) => Each(run, $"epoch {metrics.Epoch}", sink => sink.EpochCompleted(run, metrics));

    /// <summary>The run ended; a sink switched off for it is switched on again for the next run.</summary>
    public void RunEnded(RunRecord run, RunOutcome outcome)
    {
        Each(run, "its end", sink => sink.RunEnded(run, outcome));
        off.RemoveWhere(o => o.RunId == run.Spec.RunId);
    }

    private void Each(RunRecord run, string moment, Action<IMetricSink> call)
    {
        foreach (var sink in sinks)
        {
            if (off.Contains((sink, run.Spec.RunId))) continue;
            try
            {
                call(sink);
            }
            catch (Exception e)
            {
                off.Add((sink, run.Spec.RunId));
                warn(run, sink, $"{sink.GetType().Name} failed at {moment} of {run.Spec.DisplayName} [{run.Spec.RunId}] ({e.GetType().Name}: {e.Message}); " +
                     "it is off for this run, which trains on (its files are complete)");
            }
        }
    }
}
