using System.Globalization;
using Harness.Training;
using Serilog;
using Serilog.Core;

namespace Harness.Tracking;

/// <summary>Each run's human-readable <c>log.txt</c> (Serilog): start, every epoch's headline numbers, and the end.</summary>
/// <param name="layout">Where the experiment's files live.</param>
public sealed class LogFileSink(ResultsLayout layout) : IMetricSink
{
    private readonly Dictionary<string, Logger> loggers = new(StringComparer.Ordinal);

    private Logger For(RunRecord run)
    {
        if (!loggers.TryGetValue(run.Spec.RunId, out var logger))
        {
            logger = new LoggerConfiguration()
                .WriteTo.File(layout.RunLog(run.Spec.RunId), formatProvider: CultureInfo.InvariantCulture,
                    outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {Message:lj}{NewLine}{Exception}")
                .CreateLogger();
            loggers[run.Spec.RunId] = logger;
        }
        return logger;
    }

    /// <summary>A warning about <paramref name="run"/> from outside training (e.g. a mirror switched off), into its log.</summary>
    public void Warn(RunRecord run, string message)
    {
        bool open = loggers.ContainsKey(run.Spec.RunId);
        var log = For(run);
        log.Warning("{Warning}", message);
        if (open) return;
        log.Dispose(); // the run has ended: its log is not kept open
        loggers.Remove(run.Spec.RunId);
    }

    /// <inheritdoc />
    public void RunStarted(RunRecord run)
    {
        var log = For(run);
        if (run.ResumedFromEpoch > 0) log.Information("Resuming {Run} ({RunId}) after epoch {Epoch}", run.Spec.DisplayName, run.Spec.RunId, run.ResumedFromEpoch);
        else log.Information("Starting {Run} ({RunId})", run.Spec.DisplayName, run.Spec.RunId);
        log.Information("Device {Device}, {Threads} thread(s), commit {Commit}{Dirty}, data {Fingerprint}",
            run.Device, run.Spec.Threads, run.GitCommit, run.GitDirty ? " (dirty)" : "", run.DataFingerprint);
        log.Information("Classes: {Classes}", string.Join(", ", run.ClassNames.Select((c, i) => $"{i}={c}")));
    }

    /// <inheritdoc />
    public void EpochCompleted(RunRecord run, EpochMetrics m)
    {
        var tests = string.Join(", ", m.Tests.Select(t => $"{t.Name} {t.Accuracy:0.0000} (loss {t.Loss:0.0000})"));
        For(run).Information("Epoch {Epoch}/{Epochs}: train accuracy {Train:0.0000} (running {Running:0.0000}), loss {Loss:0.0000}; test {Tests}; {Seconds:0.0} s",
            m.Epoch, run.Spec.Epochs, m.TrainAccuracy, m.TrainAccuracyRunning, m.TrainLoss, tests, m.Seconds);
        if (m.Probe is { } probe)
            For(run).Information("Epoch {Epoch} probe: dead units {Dead:0.000} ({Layers}), logit spread {Spread:0.####e0}", m.Epoch, probe.DeadUnitFraction,
                string.Join(" ", probe.Layers.Select(l => $"{l.Layer} {l.Dead}/{l.Units}")), probe.LogitSpread);
    }

    /// <inheritdoc />
    public void RunEnded(RunRecord run, RunOutcome outcome)
    {
        var log = For(run);
        if (outcome.State == RunState.Finished) log.Information("Finished after {Epochs} epochs", outcome.EpochsCompleted);
        if (outcome.Verdict is { } verdict)
        {
            if (verdict.Outcome == Training.TrainingOutcome.Learned) log.Information("Outcome {Outcome}: {Why}", verdict.Label, verdict.Why);
            else log.Warning("Outcome {Outcome}: {Why}", verdict.Label, verdict.Why);
        }
        else if (outcome.Error is { } error) log.Error(error, "{State} after {Epochs} epochs: {Reason}", outcome.State, outcome.EpochsCompleted, outcome.Reason);
        else log.Warning("{State} after {Epochs} epochs: {Reason}", outcome.State, outcome.EpochsCompleted, outcome.Reason);
        log.Dispose();
        loggers.Remove(run.Spec.RunId);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var logger in loggers.Values) logger.Dispose();
        loggers.Clear();
    }
}
