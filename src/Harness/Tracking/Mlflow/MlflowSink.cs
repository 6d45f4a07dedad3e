using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Harness.Training;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// Mirrors runs to MLflow while they train, without ever slowing or failing them: every call only enqueues to a
/// background worker and returns. The worker creates the experiment, the parent and the child run, sends params and
/// tags, each epoch's metrics (step = epoch) in one batch, and at the end the summary metrics and the final status.
/// When the server fails, the worker keeps what it has not sent, waits <see cref="MlflowSettings.OutageCooldown"/>
/// and sends it all later, checking first what already landed. <see cref="Dispose"/> waits at most
/// <see cref="MlflowSettings.FlushTimeout"/>; what remains unsent is written to each run's <c>mlflow.json</c>
/// and <c>harness sync</c> (<see cref="MlflowSync"/>) sends it from the CSV files.
/// </summary>
public sealed class MlflowSink : IMetricSink
{
    private abstract record Message(RunRecord Run, long Timestamp);
    private sealed record Started(RunRecord Run, long Timestamp) : Message(Run, Timestamp);
    private sealed record Epoch(RunRecord Run, EpochMetrics Metrics, long Timestamp) : Message(Run, Timestamp);
    private sealed record Ended(RunRecord Run, RunOutcome Outcome, long Timestamp) : Message(Run, Timestamp);

    private sealed class RunState(RunRecord record, long startMs)
    {
        public RunRecord Record { get; set; } = record;
        public long StartMs { get; } = startMs;
        public MirroredRun? Target { get; set; }
        public bool MetaSent { get; set; }
        public bool StatusChecked { get; set; }
        public SortedDictionary<int, (EpochMetrics Metrics, long Timestamp)> Pending { get; } = [];
        public SortedDictionary<int, (double Train, double Test)> Accuracies { get; } = [];
        public Ended? Outcome { get; set; }
        public bool Done { get; set; }
        public string? GaveUp { get; set; }
        public int LastEpochSent { get; set; }
        public bool Dirty => !Done && GaveUp is null;
    }

    private readonly MlflowSettings settings;
    private readonly ResultsLayout layout;
    private readonly Action<string> log;
    private readonly MlflowClient client;
    private readonly bool ownsClient;
    private readonly MlflowRunWriter writer;
    private readonly Channel<Message> channel = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stop = new();
    private readonly Dictionary<string, RunState> runs = new(StringComparer.Ordinal);
    private readonly Task worker;
    private long outageUntil;
    private bool outageReported;
    private string? notMlflow;
    private int disposed;

    /// <summary>Starts the background worker.</summary>
    /// <param name="settings">Server, experiment and timeouts.</param>
    /// <param name="layout">Where the runs' files are (for <c>mlflow.json</c> and the summary from <c>metrics.csv</c>).</param>
    /// <param name="log">Receives warnings (never secrets); called from the worker thread.</param>
    /// <param name="client">A client to use (its owner disposes it); by default the sink makes its own.</param>
    public MlflowSink(MlflowSettings settings, ResultsLayout layout, Action<string>? log = null, MlflowClient? client = null)
    {
        this.settings = settings;
        this.layout = layout;
        this.log = log ?? (_ => { });
        ownsClient = client is null;
        this.client = client ?? new MlflowClient(settings);
        writer = new MlflowRunWriter(this.client);
        worker = Task.Run(WorkAsync);
    }

    /// <summary>
    /// The sink for <paramref name="context"/>'s experiment when it is tracked in MLflow (the spec's
    /// <c>tracking.mlflow</c>, or <c>MLFLOW_TRACKING_URI</c>); null when it is not.
    /// </summary>
    public static MlflowSink? Open(MirrorContext context)
    {
        var settings = MlflowSettings.Resolve(context.Experiment.Tracking.Mlflow, context.Experiment.Name);
        if (settings is null) return null;
        context.Say($"Mirroring to MLflow at {settings.SafeUri} (experiment '{settings.ExperimentName}')");
        return new MlflowSink(settings, context.Layout, message => context.Warn($"mlflow: {message}"));
    }

    /// <inheritdoc />
    public void RunStarted(RunRecord run) => channel.Writer.TryWrite(new Started(run, Now()));

    /// <inheritdoc />
    public void EpochCompleted(RunRecord run, EpochMetrics metrics) => channel.Writer.TryWrite(new Epoch(run, metrics, Now()));

    /// <inheritdoc />
    public void RunEnded(RunRecord run, RunOutcome outcome) => channel.Writer.TryWrite(new Ended(run, outcome, Now()));

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private async Task WorkAsync()
    {
        var reader = channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stop.Token))
            {
                while (reader.TryRead(out var message)) Apply(message);
                await PushAllAsync(stop.Token);
            }
            await PushAllAsync(stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Dispose gave up waiting: what is left is recorded in mlflow.json.
        }
        catch (Exception e)
        {
            log($"MLflow mirror stopped: {e.GetType().Name}: {e.Message}; run `harness sync` later");
        }
    }

    private void Apply(Message message)
    {
        string id = message.Run.Spec.RunId;
        if (message is Started || !runs.TryGetValue(id, out var state))
            runs[id] = state = new RunState(message.Run, message.Timestamp);
        state.Record = message.Run;
        switch (message)
        {
            case Epoch e:
                state.Pending[e.Metrics.Epoch] = (e.Metrics, e.Timestamp);
                state.Accuracies[e.Metrics.Epoch] = (e.Metrics.TrainAccuracy, e.Metrics.Tests.Count > 0 ? e.Metrics.Tests[0].Accuracy : double.NaN);
                break;
            case Ended ended:
                state.Outcome = ended;
                break;
        }
    }

    private async Task PushAllAsync(CancellationToken ct)
    {
        if (notMlflow is not null)
        {
            // Said once already: every later run is only noted in its mlflow.json.
            foreach (var state in runs.Values.Where(s => s.Dirty).ToList()) { state.GaveUp = notMlflow; WriteMarker(state, null); }
            return;
        }
        if (Now() < Interlocked.Read(ref outageUntil)) return;
        foreach (var state in runs.Values.Where(s => s.Dirty).ToList())
        {
            try
            {
                await PushAsync(state, ct);
                outageReported = false;
            }
            catch (MlflowException e) when (e.IsNotMlflowServer)
            {
                notMlflow = $"{e.Message}; nothing is mirrored (check the tracking URI), `harness sync` sends it all later";
                log(notMlflow);
                foreach (var s in runs.Values.Where(s => s.Dirty).ToList()) { s.GaveUp = notMlflow; WriteMarker(s, null); }
                return;
            }
            catch (MlflowException e) when (e.IsTransient)
            {
                state.Target?.Forget();
                Interlocked.Exchange(ref outageUntil, Now() + (long)settings.OutageCooldown.TotalMilliseconds);
                if (!outageReported) log($"MLflow at {settings.SafeUri} unavailable ({e.Message}); retrying in {settings.OutageCooldown.TotalSeconds:0} s, the CSV files keep everything");
                outageReported = true;
                WriteMarker(state, e.Message);
                return;
            }
            catch (Exception e) when (e is MlflowException or ArgumentException or InvalidDataException or IOException)
            {
                state.GaveUp = e.Message;
                log($"MLflow mirror of run {state.Record.Spec.RunId} stopped: {e.Message}; `harness sync` reports it");
                WriteMarker(state, e.Message);
            }
        }
        if (runs.Count > 0 && runs.Values.All(s => s.Done || s.GaveUp is not null))
            foreach (var id in runs.Where(r => r.Value.Done).Select(r => r.Key).ToList()) runs.Remove(id);
    }

    private async Task PushAsync(RunState state, CancellationToken ct)
    {
        var record = state.Record;
        string experimentId = await writer.ExperimentAsync(settings.ExperimentName, ct);
        string parentId = await writer.ParentAsync(experimentId, record.Spec.Experiment, state.StartMs, ct);
        state.Target ??= await writer.ChildAsync(experimentId, parentId, record, state.StartMs, ct);
        var target = state.Target;
        if (!state.StatusChecked)
        {
            // A resumed run that an earlier process marked KILLED is running again.
            if (!target.Created && target.Run.Status != MlflowRunStatus.Running && state.Outcome is null)
                await client.UpdateRunAsync(target.Run.RunId, MlflowRunStatus.Running, null, ct);
            state.StatusChecked = true;
        }

        var ps = new List<KeyValuePair<string, string>>();
        var tags = new List<KeyValuePair<string, string>>();
        if (!state.MetaSent)
        {
            var (missingParams, missingTags, conflicts) = MlflowRunWriter.MissingMeta(target.Run, record, parentId);
            foreach (var c in conflicts) log(c);
            ps = missingParams; tags = missingTags;
        }
        var points = new List<MlflowMetric>();
        foreach (var (epoch, (metrics, ts)) in state.Pending)
            foreach (var m in MetricColumns.Measures(metrics))
                points.Add(new MlflowMetric(MlflowKeys.Sanitize(m.Key), m.Value, ts, epoch));
        int lastPending = state.Pending.Count > 0 ? state.Pending.Keys.Max() : 0;
        var missing = points.Count > 0 ? await target.MissingAsync(client, points, ct) : [];
        if (ps.Count + tags.Count + missing.Count > 0)
        {
            await client.LogBatchAsync(target.Run.RunId, missing, ps, tags, ct);
            target.MarkSent(missing);
        }
        if (!state.MetaSent) await writer.DatasetAsync(target.Run, record, log, ct);
        state.MetaSent = true;
        state.Pending.Clear();
        state.LastEpochSent = Math.Max(state.LastEpochSent, lastPending);

        if (state.Outcome is { } ended)
        {
            var summary = MlflowRunMapping.Summary(SummaryEpochs(state), ended.Timestamp);
            var missingSummary = summary.Count > 0 ? await target.MissingAsync(client, summary, ct) : [];
            var verdict = ended.Outcome.Verdict;
            var outcomeTags = MlflowRunMapping.OutcomeTags(verdict?.Outcome, verdict?.CollapseEpoch, target.Run.Tags);
            outcomeTags.AddRange(MlflowRunMapping.ReasonTags(ended.Outcome.State, ended.Outcome.Reason, target.Run.Tags));
            if (missingSummary.Count + outcomeTags.Count > 0)
            {
                await client.LogBatchAsync(target.Run.RunId, missingSummary, tags: outcomeTags, ct: ct);
                target.MarkSent(missingSummary);
            }
            string status = MlflowRunStatus.Of(ended.Outcome.State);
            bool terminal = MlflowRunStatus.IsTerminal(status);
            await client.UpdateRunAsync(target.Run.RunId, status, terminal ? ended.Timestamp : null, ct);
            if (terminal) await writer.ParentEndedAsync(parentId, ended.Timestamp, ct);
            state.Done = true;
        }
        WriteMarker(state, null);
    }

    /// <summary>Every epoch of the run: metrics.csv (earlier epochs of a resumed run) overlaid with what this process saw.</summary>
    private List<(int Epoch, double TrainAccuracy, double TestAccuracy)> SummaryEpochs(RunState state)
    {
        var all = new SortedDictionary<int, (double, double)>();
        string csv = layout.RunMetricsCsv(state.Record.Spec.RunId);
        if (File.Exists(csv))
            foreach (var row in MlflowRunWriter.Accuracies(TidyCsv.Read(csv))) all[row.Epoch] = (row.TrainAccuracy, row.TestAccuracy);
        foreach (var (epoch, acc) in state.Accuracies) all[epoch] = acc;
        int last = state.Outcome?.Outcome.EpochsCompleted ?? int.MaxValue;
        return all.Where(kv => kv.Key <= last).Select(kv => (kv.Key, kv.Value.Item1, kv.Value.Item2)).ToList();
    }

    private void WriteMarker(RunState state, string? note)
    {
        try
        {
            new MlflowRunMarker(settings.SafeUri, state.Target?.Run.ExperimentId, state.Target?.Run.RunId,
                state.LastEpochSent, state.Pending.Keys.ToList(),
                state.Done && state.Outcome is { } o ? MlflowRunStatus.Of(o.Outcome.State) : null,
                note ?? state.GaveUp, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture))
                .Write(layout.RunDirectory(state.Record.Spec.RunId));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log($"cannot write {MlflowRunMarker.FileName} of run {state.Record.Spec.RunId}: {e.Message}");
        }
    }

    /// <summary>
    /// Sends what is queued, waiting at most <see cref="MlflowSettings.FlushTimeout"/>; then stops the worker and
    /// records what was not sent. Never throws and never hangs.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0) return;
        var clock = Stopwatch.StartNew();
        channel.Writer.TryComplete();
        if (!worker.Wait(settings.FlushTimeout))
        {
            stop.Cancel();
            worker.Wait(TimeSpan.FromSeconds(1));
        }
        if (worker.IsCompleted)
        {
            // Messages the worker never read (it was stuck retrying a dead server) still name epochs that were not sent:
            // without them mlflow.json would claim epochs_unsent: [] for a run of which nothing reached the server.
            while (channel.Reader.TryRead(out var message)) Apply(message);
            int unsent = 0;
            foreach (var state in runs.Values.Where(s => !s.Done))
            {
                unsent++;
                WriteMarker(state, state.GaveUp ?? $"not mirrored when the sink closed after {clock.Elapsed.TotalSeconds:0.#} s");
            }
            if (unsent > 0 && notMlflow is null) log($"MLflow mirror incomplete for {unsent} run(s); `harness sync` sends the rest from the CSV files");
        }
        if (!worker.IsCompleted) return; // left to finish on its own: every wait inside it is cancelled or timed out
        stop.Dispose();
        if (ownsClient) client.Dispose();
    }
}
