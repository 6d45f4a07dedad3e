using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Harness.Tracking.Mlflow;

/// <summary>
/// A small client for MLflow's REST API (<c>/api/2.0/mlflow/...</c>) over one <see cref="HttpClient"/>.
/// <para>Retries: a request that certainly had no effect (connection refused, 429) is sent again after an
/// exponential backoff with seeded jitter; so is any transient failure (timeout, 5xx, dropped connection) of an
/// idempotent request (reads, experiment create, run update, params and tags). The two non-idempotent requests are
/// never blindly resent: <see cref="GetOrCreateRunAsync"/> searches for the run again before creating it anew, and
/// <see cref="LogBatchAsync"/> reads back the metric history after an ambiguous failure and resends only the points
/// that did not land. Client-side checks (keys, limits, statuses) throw <see cref="ArgumentException"/>; server
/// refusals and outages throw <see cref="MlflowException"/>.</para>
/// </summary>
public sealed class MlflowClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http;
    private readonly MlflowSettings settings;
    private readonly Random jitter;
    private readonly Lock jitterLock = new();
    private readonly string apiRoot;
    private int requests;

    /// <summary>Creates a client; <paramref name="handler"/> replaces the default socket handler (tests).</summary>
    public MlflowClient(MlflowSettings settings, HttpMessageHandler? handler = null)
    {
        this.settings = settings;
        jitter = new Random(settings.RetrySeed);
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = settings.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (settings.Token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        else if (settings.Username is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
        var root = new UriBuilder(settings.TrackingUri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/');
        apiRoot = root + "/api/2.0/mlflow/";
    }

    /// <summary>HTTP requests sent so far (retries included).</summary>
    public int RequestCount => Volatile.Read(ref requests);

    /// <summary>The settings in use.</summary>
    public MlflowSettings Settings => settings;

    // ---------------------------------------------------------------- experiments

    /// <summary>The id of the experiment named <paramref name="name"/>, or null when there is none.</summary>
    public async Task<string?> GetExperimentIdAsync(string name, CancellationToken ct = default)
    {
        try
        {
            var doc = await SendAsync(HttpMethod.Get, "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name), null, true, ct);
            return doc.GetProperty("experiment").GetProperty("experiment_id").GetString();
        }
        catch (MlflowException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    /// <summary>Creates an experiment; throws <see cref="MlflowException"/> (RESOURCE_ALREADY_EXISTS) when the name is taken.</summary>
    public async Task<string> CreateExperimentAsync(string name, CancellationToken ct = default)
    {
        var doc = await SendAsync(HttpMethod.Post, "experiments/create", Body(w => w.WriteString("name", name)), true, ct);
        return doc.GetProperty("experiment_id").GetString() ?? throw Malformed("experiments/create");
    }

    /// <summary>
    /// The id of experiment <paramref name="name"/>, creating it when absent. Safe when several processes do this at
    /// once: the losers of the race get RESOURCE_ALREADY_EXISTS and read the winner's id.
    /// </summary>
    public async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken ct = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            var id = await GetExperimentIdAsync(name, ct);
            if (id is not null) return id;
            try
            {
                return await CreateExperimentAsync(name, ct);
            }
            catch (MlflowException e) when (e.ErrorCode == "RESOURCE_ALREADY_EXISTS" && attempt < settings.MaxAttempts)
            {
                // Another process created it between our read and our create: read it again.
            }
        }
    }

    // ---------------------------------------------------------------- runs

    /// <summary>
    /// Creates a run. Not idempotent: sent again only when the first try certainly failed (refused, 429); after an
    /// ambiguous failure it throws, and the caller should look the run up (see <see cref="GetOrCreateRunAsync"/>).
    /// </summary>
    public async Task<MlflowRun> CreateRunAsync(string experimentId, string runName, long startTimeMs,
        IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        var fitted = FitTags(tags);
        var doc = await SendAsync(HttpMethod.Post, "runs/create", Body(w =>
        {
            w.WriteString("experiment_id", experimentId);
            w.WriteString("run_name", runName);
            w.WriteNumber("start_time", startTimeMs);
            WritePairs(w, "tags", fitted);
        }), false, ct);
        return ParseRun(doc.GetProperty("run"));
    }

    /// <summary>
    /// The active run of <paramref name="experimentId"/> carrying every <paramref name="identity"/> tag (the oldest
    /// when several do), created with <paramref name="tags"/> (which should include the identity tags) when there is
    /// none. The returned flag says whether it was created now. An ambiguous create is followed by a search, never by
    /// a blind second create.
    /// </summary>
    public async Task<(MlflowRun Run, bool Created)> GetOrCreateRunAsync(string experimentId, IReadOnlyList<(string Key, string Value)> identity,
        string runName, long startTimeMs, IReadOnlyDictionary<string, string> tags, CancellationToken ct = default)
    {
        string filter = TagFilter([.. identity]);
        for (int attempt = 1; ; attempt++)
        {
            var found = await SearchRunsAsync([experimentId], filter, ct: ct);
            if (found.Count > 0) return (found.OrderBy(r => r.StartTime ?? 0).ThenBy(r => r.RunId, StringComparer.Ordinal).First(), false);
            try
            {
                return (await CreateRunAsync(experimentId, runName, startTimeMs, tags, ct), true);
            }
            catch (MlflowException e) when (e.Kind == MlflowFailureKind.Ambiguous && attempt < settings.MaxAttempts)
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    /// <summary>Sets a run's status (validated: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED) and, optionally, its end time.</summary>
    public async Task UpdateRunAsync(string runId, string status, long? endTimeMs = null, CancellationToken ct = default)
    {
        if (!MlflowRunStatus.IsValid(status))
            throw new ArgumentException($"'{status}' is not an MLflow run status ({string.Join(", ", MlflowRunStatus.All)})", nameof(status));
        await SendAsync(HttpMethod.Post, "runs/update", Body(w =>
        {
            w.WriteString("run_id", runId);
            w.WriteString("status", status);
            if (endTimeMs is long end) w.WriteNumber("end_time", end);
        }), true, ct);
    }

    /// <summary>Marks a run deleted.</summary>
    public async Task DeleteRunAsync(string runId, CancellationToken ct = default) =>
        await SendAsync(HttpMethod.Post, "runs/delete", Body(w => w.WriteString("run_id", runId)), true, ct);

    /// <summary>One run by id.</summary>
    public async Task<MlflowRun> GetRunAsync(string runId, CancellationToken ct = default)
    {
        var doc = await SendAsync(HttpMethod.Get, "runs/get?run_id=" + Uri.EscapeDataString(runId), null, true, ct);
        return ParseRun(doc.GetProperty("run"));
    }

    /// <summary>
    /// Every active run of the experiments matching <paramref name="filter"/> (MLflow search syntax, see
    /// <see cref="TagFilter"/>), following <c>page_token</c> until a page comes without one (the last may be empty).
    /// </summary>
    public async Task<IReadOnlyList<MlflowRun>> SearchRunsAsync(IReadOnlyList<string> experimentIds, string? filter,
        int pageSize = 1000, CancellationToken ct = default)
    {
        var runs = new List<MlflowRun>();
        string? token = null;
        do
        {
            string? page = token;
            var doc = await SendAsync(HttpMethod.Post, "runs/search", Body(w =>
            {
                w.WriteStartArray("experiment_ids");
                foreach (var id in experimentIds) w.WriteStringValue(id);
                w.WriteEndArray();
                if (filter is not null) w.WriteString("filter", filter);
                w.WriteNumber("max_results", pageSize);
                if (page is not null) w.WriteString("page_token", page);
            }), true, ct);
            if (doc.TryGetProperty("runs", out var list))
                foreach (var run in list.EnumerateArray()) runs.Add(ParseRun(run));
            token = doc.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        } while (!string.IsNullOrEmpty(token));
        return runs;
    }

    /// <summary>A search filter matching all the given tags, e.g. <c>tags.`harness.run_id` = 'abc'</c>.</summary>
    /// <exception cref="ArgumentException">A key contains a backtick or a value a quote (MLflow's filter cannot express them reliably).</exception>
    public static string TagFilter(params (string Key, string Value)[] tags) =>
        string.Join(" AND ", tags.Select(t =>
        {
            if (t.Key.Contains('`') || t.Value.Contains('\'') || t.Value.Contains('"'))
                throw new ArgumentException($"tag filter on '{t.Key}' = '{t.Value}': backticks in keys and quotes in values are not supported");
            return $"tags.`{t.Key}` = '{t.Value}'";
        }));

    // ---------------------------------------------------------------- logging

    /// <summary>
    /// Logs metrics, params and tags, split into as many requests as MLflow's limits need (1000 metrics, 100 params,
    /// 100 tags, 1000 entities per request). Keys are checked first (nothing is sent when one is invalid); long
    /// values are shortened deterministically (<see cref="MlflowKeys"/>); repeated tags keep the last value;
    /// a param given twice with different values is an error. A request with metrics that fails ambiguously is
    /// verified against the metric history and only the missing points are sent again: no point is stored twice.
    /// </summary>
    public async Task LogBatchAsync(string runId, IReadOnlyList<MlflowMetric>? metrics = null,
        IReadOnlyList<KeyValuePair<string, string>>? parameters = null, IReadOnlyList<KeyValuePair<string, string>>? tags = null,
        CancellationToken ct = default)
    {
        metrics ??= [];
        foreach (var m in metrics)
        {
            MlflowKeys.Validate(m.Key);
            if (m.Timestamp < 0) throw new ArgumentException($"metric '{m.Key}': timestamp {m.Timestamp} is negative");
        }
        var ps = new List<KeyValuePair<string, string>>();
        foreach (var p in parameters ?? [])
        {
            MlflowKeys.Validate(p.Key);
            var fitted = KeyValuePair.Create(p.Key, MlflowKeys.FitParamValue(p.Value));
            int i = ps.FindIndex(x => x.Key == p.Key);
            if (i < 0) ps.Add(fitted);
            else if (ps[i].Value != fitted.Value) throw new ArgumentException($"param '{p.Key}' given twice with different values");
        }
        var ts = FitTags(tags ?? []).ToList();

        int mi = 0, pi = 0, ti = 0;
        while (mi < metrics.Count || pi < ps.Count || ti < ts.Count)
        {
            int np = Math.Min(MlflowKeys.MaxParamsPerBatch, ps.Count - pi);
            int nt = Math.Min(MlflowKeys.MaxTagsPerBatch, ts.Count - ti);
            int nm = Math.Min(Math.Min(MlflowKeys.MaxMetricsPerBatch, MlflowKeys.MaxEntitiesPerBatch - np - nt), metrics.Count - mi);
            await LogChunkAsync(runId, metrics.Skip(mi).Take(nm).ToList(), ps.GetRange(pi, np), ts.GetRange(ti, nt), ct);
            mi += nm; pi += np; ti += nt;
        }
    }

    private async Task LogChunkAsync(string runId, List<MlflowMetric> metrics, List<KeyValuePair<string, string>> ps,
        List<KeyValuePair<string, string>> ts, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await SendAsync(HttpMethod.Post, "runs/log-batch", Body(w =>
                {
                    w.WriteString("run_id", runId);
                    w.WriteStartArray("metrics");
                    foreach (var m in metrics)
                    {
                        w.WriteStartObject();
                        w.WriteString("key", m.Key);
                        WriteValue(w, m.Value);
                        w.WriteNumber("timestamp", m.Timestamp);
                        w.WriteNumber("step", m.Step);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    WritePairs(w, "params", ps);
                    WritePairs(w, "tags", ts);
                }), metrics.Count == 0, ct);
                return;
            }
            catch (MlflowException e) when (e.Kind == MlflowFailureKind.Ambiguous && metrics.Count > 0 && attempt < settings.MaxAttempts)
            {
                // Some or all of the points may be stored: read back what landed and send only the rest.
                await Task.Delay(Backoff(attempt), ct);
                foreach (var key in metrics.Select(m => m.Key).Distinct().ToList())
                {
                    var history = await GetMetricHistoryAsync(runId, key, ct);
                    metrics.RemoveAll(m => m.Key == key && history.Any(m.SameAs));
                }
                if (metrics.Count == 0 && ps.Count == 0 && ts.Count == 0) return;
            }
        }
    }

    /// <summary>
    /// Records <paramref name="datasets"/> as the run's inputs (<c>runs/log-inputs</c>). Idempotent on the server (a data
    /// set with the same name and digest is stored once per experiment and linked once per run), so it may be retried.
    /// </summary>
    /// <exception cref="ArgumentException">A field is longer than MLflow accepts.</exception>
    public async Task LogInputsAsync(string runId, IReadOnlyList<MlflowDataset> datasets, CancellationToken ct = default)
    {
        foreach (var d in datasets)
        {
            if (d.Name.Length is 0 or > MlflowDataset.MaxNameLength) throw new ArgumentException($"dataset name '{d.Name}' must have 1 to {MlflowDataset.MaxNameLength} characters");
            if (d.Digest.Length is 0 or > MlflowDataset.MaxDigestLength) throw new ArgumentException($"dataset digest '{d.Digest}' must have 1 to {MlflowDataset.MaxDigestLength} characters");
            if (d.Source.Length > MlflowDataset.MaxSourceLength) throw new ArgumentException($"dataset source of '{d.Name}' is longer than {MlflowDataset.MaxSourceLength} characters");
        }
        if (datasets.Count == 0) return;
        await SendAsync(HttpMethod.Post, "runs/log-inputs", Body(w =>
        {
            w.WriteString("run_id", runId);
            w.WriteStartArray("datasets");
            foreach (var d in datasets)
            {
                w.WriteStartObject();
                w.WriteStartArray("tags");
                if (d.Context is not null)
                {
                    w.WriteStartObject();
                    w.WriteString("key", MlflowDataset.ContextTag);
                    w.WriteString("value", d.Context);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartObject("dataset");
                w.WriteString("name", d.Name);
                w.WriteString("digest", d.Digest);
                w.WriteString("source_type", d.SourceType);
                w.WriteString("source", d.Source);
                if (d.Profile is not null) w.WriteString("profile", d.Profile);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }), true, ct);
    }

    /// <summary>Every point of one metric of a run, in the server's order (paged).</summary>
    public async Task<IReadOnlyList<MlflowMetric>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default, int pageSize = 25000)
    {
        var points = new List<MlflowMetric>();
        string? token = null;
        do
        {
            string path = $"metrics/get-history?run_id={Uri.EscapeDataString(runId)}&metric_key={Uri.EscapeDataString(key)}" +
                          $"&max_results={pageSize.ToString(CultureInfo.InvariantCulture)}" +
                          (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            var doc = await SendAsync(HttpMethod.Get, path, null, true, ct);
            if (doc.TryGetProperty("metrics", out var list))
                foreach (var m in list.EnumerateArray()) points.Add(ParseMetric(m));
            token = doc.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        } while (!string.IsNullOrEmpty(token));
        return points;
    }

    // ---------------------------------------------------------------- transport

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, byte[]? body, bool idempotent, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, path, body, ct);
            }
            catch (MlflowException e) when (attempt < settings.MaxAttempts
                && (e.Kind == MlflowFailureKind.NotSent || (e.Kind == MlflowFailureKind.Ambiguous && idempotent)))
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    private async Task<JsonElement> SendOnceAsync(HttpMethod method, string path, byte[]? body, CancellationToken ct)
    {
        Interlocked.Increment(ref requests);
        string route = path.Split('?')[0];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.RequestTimeout);
        using var request = new HttpRequestMessage(method, apiRoot + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = Json;
        }
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            text = await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new MlflowException(MlflowFailureKind.Ambiguous, $"{route}: no answer within {settings.RequestTimeout.TotalSeconds:0.###} s", inner: e);
        }
        catch (HttpRequestException e)
        {
            bool refused = e.HttpRequestError == HttpRequestError.ConnectionError
                || e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable };
            throw new MlflowException(refused ? MlflowFailureKind.NotSent : MlflowFailureKind.Ambiguous,
                $"{route}: {(refused ? "cannot connect to" : "connection failed with")} {settings.SafeUri}: {e.Message}", inner: e);
        }
        using (response)
        {
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            if (response.IsSuccessStatusCode)
            {
                if (string.IsNullOrWhiteSpace(text)) return EmptyObject();
                try
                {
                    using var doc = JsonDocument.Parse(text);
                    return doc.RootElement.Clone();
                }
                catch (JsonException)
                {
                    // A login page or a web server answering 200 to everything: no MLflow request can succeed there.
                    throw NotMlflow(response.StatusCode, mediaType);
                }
            }
            // MLflow answers its errors in JSON; an HTML 404/405 is a web server or proxy without MLflow behind that path.
            // 5xx pages stay transient (MLflow's own crashes are HTML too) and 429 is a throttle.
            if ((int)response.StatusCode < 500 && (int)response.StatusCode != 429 && !IsJson(text))
                throw NotMlflow(response.StatusCode, mediaType);
            throw Failure(route, response.StatusCode, text);
        }
    }

    private MlflowException NotMlflow(HttpStatusCode status, string? mediaType) =>
        new(MlflowFailureKind.NotMlflowServer,
            $"{settings.SafeUri} is not an MLflow tracking server (HTTP {(int)status}, {mediaType ?? "no content type"})", status);

    private static bool IsJson(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static MlflowException Failure(string route, HttpStatusCode status, string body)
    {
        var kind = (int)status == 429 ? MlflowFailureKind.NotSent
            : (int)status >= 500 ? MlflowFailureKind.Ambiguous
            : MlflowFailureKind.Rejected;
        string? code = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("error_code", out var c)) code = c.GetString();
                if (doc.RootElement.TryGetProperty("message", out var m)) message = m.GetString();
            }
        }
        catch (JsonException)
        {
            // An HTML page (unknown route, proxy, crash): keep a readable excerpt.
        }
        string detail = code is not null ? $"{code}: {message}" : Excerpt(body);
        return new MlflowException(kind, $"{route}: HTTP {(int)status} {detail}", status, code);
    }

    private static string Excerpt(string body)
    {
        string text = System.Text.RegularExpressions.Regex.Replace(body, "<[^>]*>", " ");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();
        return text.Length > 200 ? text[..200] + "..." : text.Length == 0 ? "(empty body)" : text;
    }

    private TimeSpan Backoff(int attempt)
    {
        double baseMs = Math.Min(settings.MaxBackoff.TotalMilliseconds, settings.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double factor;
        lock (jitterLock) factor = 0.5 + jitter.NextDouble() * 0.5;
        return TimeSpan.FromMilliseconds(baseMs * factor);
    }

    // ---------------------------------------------------------------- JSON

    private static byte[] Body(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter w, double value)
    {
        if (double.IsNaN(value)) w.WriteString("value", "NaN");
        else if (double.IsPositiveInfinity(value)) w.WriteString("value", "Infinity");
        else if (double.IsNegativeInfinity(value)) w.WriteString("value", "-Infinity");
        else w.WriteNumber("value", value);
    }

    private static void WritePairs(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        w.WriteStartArray(name);
        foreach (var p in pairs)
        {
            w.WriteStartObject();
            w.WriteString("key", p.Key);
            w.WriteString("value", p.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static List<KeyValuePair<string, string>> FitTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var t in tags)
        {
            MlflowKeys.Validate(t.Key);
            result.RemoveAll(x => x.Key == t.Key);
            result.Add(KeyValuePair.Create(t.Key, MlflowKeys.FitTagValue(t.Value)));
        }
        return result;
    }

    private static JsonElement EmptyObject()
    {
        using var doc = JsonDocument.Parse("{}");
        return doc.RootElement.Clone();
    }

    private static MlflowException Malformed(string route) => new(MlflowFailureKind.Rejected, $"{route}: unexpected response shape");

    private static MlflowRun ParseRun(JsonElement run)
    {
        var info = run.GetProperty("info");
        string id = Str(info, "run_id") ?? Str(info, "run_uuid") ?? throw Malformed("run");
        var ps = new Dictionary<string, string>(StringComparer.Ordinal);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var latest = new Dictionary<string, MlflowMetric>(StringComparer.Ordinal);
        if (run.TryGetProperty("data", out var data))
        {
            if (data.TryGetProperty("params", out var p))
                foreach (var kv in p.EnumerateArray()) ps[Str(kv, "key") ?? ""] = Str(kv, "value") ?? "";
            if (data.TryGetProperty("tags", out var t))
                foreach (var kv in t.EnumerateArray()) tags[Str(kv, "key") ?? ""] = Str(kv, "value") ?? "";
            if (data.TryGetProperty("metrics", out var m))
                foreach (var point in m.EnumerateArray()) { var metric = ParseMetric(point); latest[metric.Key] = metric; }
        }
        var datasets = new List<MlflowDataset>();
        if (run.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("dataset_inputs", out var dataInputs))
            foreach (var input in dataInputs.EnumerateArray())
                if (input.TryGetProperty("dataset", out var d))
                    datasets.Add(new MlflowDataset(Str(d, "name") ?? "", Str(d, "digest") ?? "", Str(d, "source_type") ?? "", Str(d, "source") ?? "", Str(d, "profile")));
        return new MlflowRun(id, Str(info, "experiment_id") ?? "", Str(info, "run_name"), Str(info, "status"),
            Str(info, "lifecycle_stage"), Long(info, "start_time"), Long(info, "end_time"), ps, tags, latest, datasets);
    }

    private static MlflowMetric ParseMetric(JsonElement m) =>
        new(Str(m, "key") ?? "", Double(m, "value"), Long(m, "timestamp") ?? 0, Long(m, "step") ?? 0);

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;

    private static long? Long(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetInt64();
        return long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long l) ? l : null;
    }

    private static double Double(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return 0;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        return v.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var s => double.Parse(s ?? "NaN", NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();
}
