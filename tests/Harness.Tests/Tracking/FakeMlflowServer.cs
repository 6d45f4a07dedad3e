using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Harness.Tests.Tracking;

/// <summary>
/// An in-process MLflow tracking server (Kestrel on 127.0.0.1, a free port) implementing the REST endpoints the
/// harness uses and enforcing the rules of reference/mlflow-rest.md strictly: JSON content type, batch limits, key
/// syntax and length, write-once params, one key per request, active runs only, error JSON, omitted empty fields,
/// paging with a final empty page, append-only metrics (a duplicate point is stored twice). Faults can be injected:
/// failures for the next N requests, slow answers, death after K requests; the state survives a restart.
/// </summary>
public sealed class FakeMlflowServer : IAsyncDisposable
{
    /// <summary>A stored metric point.</summary>
    public sealed record Point(string Key, double Value, long Timestamp, long Step);

    /// <summary>A stored run.</summary>
    public sealed class FakeRun
    {
        public required string Id { get; init; }
        public required string ExperimentId { get; init; }
        public string? Name { get; set; }
        public string Status { get; set; } = "RUNNING";
        public long StartTime { get; set; }
        public long? EndTime { get; set; }
        public string Lifecycle { get; set; } = "active";
        public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);
        public List<Point> Metrics { get; } = [];
        /// <summary>Dataset inputs as logged (name, digest, source_type, source, profile), each linked once.</summary>
        public List<FakeDataset> Datasets { get; } = [];
    }

    /// <summary>A stored dataset input of a run.</summary>
    public sealed record FakeDataset(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile, IReadOnlyDictionary<string, string> Tags);

    private sealed record Experiment(string Id, string Name);

    private readonly Lock gate = new();
    private readonly List<Experiment> experiments = [new("0", "Default")];
    private readonly List<FakeRun> runs = [];
    private readonly Queue<(string Route, int Status, string Code)> injected = new();
    private WebApplication? app;
    private int requestCount, failNext, failStatus = 500, delayNext, dieAfter = -1;
    private TimeSpan delay;
    private int nextId = 1;

    private FakeMlflowServer() { }

    /// <summary>Server root, e.g. http://127.0.0.1:41234.</summary>
    public Uri Uri { get; private set; } = new("http://127.0.0.1:1");

    /// <summary>Requests received (all routes, faults included).</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    /// <summary>Requests per route, e.g. <c>POST runs/log-batch</c>.</summary>
    public Dictionary<string, int> RequestsByRoute { get; } = [];

    /// <summary>Authorization header of the last request.</summary>
    public string? LastAuthorization { get; private set; }

    /// <summary>Number of HTTP 400 answers given (strict-rule violations and conflicts).</summary>
    public int Rejections { get; private set; }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<FakeMlflowServer> StartAsync()
    {
        var server = new FakeMlflowServer();
        await server.RestartAsync();
        return server;
    }

    /// <summary>(Re)starts the server on a new free port, keeping its state; faults are cleared.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        lock (gate) { failNext = 0; delayNext = 0; dieAfter = -1; injected.Clear(); }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var web = builder.Build();
        web.Run(HandleAsync);
        await web.StartAsync();
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Uri = new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        app = web;
    }

    /// <summary>Stops listening (connections are then refused); the state is kept.</summary>
    public async Task StopAsync()
    {
        var web = Interlocked.Exchange(ref app, null);
        if (web is null) return;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try { await web.StopAsync(cts.Token); } catch (OperationCanceledException) { }
        await web.DisposeAsync();
    }

    /// <summary>A loopback URI where nothing listens.</summary>
    public static Uri ClosedPortUri()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The next <paramref name="n"/> requests get <paramref name="status"/> with an INTERNAL_ERROR body, unprocessed.</summary>
    public void FailNext(int n, int status = 500) { lock (gate) { failNext = n; failStatus = status; } }

    /// <summary>The next <paramref name="n"/> requests are processed, then answered after <paramref name="by"/>.</summary>
    public void DelayNext(int n, TimeSpan by) { lock (gate) { delayNext = n; delay = by; } }

    /// <summary>
    /// The <paramref name="k"/>-th request from now is processed, its connection dropped without an answer, and the
    /// server stops: later connections are refused.
    /// </summary>
    public void DieAfter(int k) { lock (gate) dieAfter = k; }

    /// <summary>The next request to <paramref name="route"/> (e.g. <c>experiments/get-by-name</c>) gets this error instead.</summary>
    public void Inject(string route, int status, string errorCode) { lock (gate) injected.Enqueue((route, status, errorCode)); }

    /// <summary>Experiment id by name, or null.</summary>
    public string? ExperimentId(string name) { lock (gate) return experiments.FirstOrDefault(e => e.Name == name)?.Id; }

    /// <summary>Number of experiments with that name.</summary>
    public int ExperimentCount(string name) { lock (gate) return experiments.Count(e => e.Name == name); }

    /// <summary>A snapshot of all runs of an experiment.</summary>
    public IReadOnlyList<FakeRun> Runs(string experimentName)
    {
        lock (gate)
        {
            var id = experiments.FirstOrDefault(e => e.Name == experimentName)?.Id;
            return runs.Where(r => r.ExperimentId == id).ToList();
        }
    }

    /// <summary>Total metric points stored.</summary>
    public int PointCount { get { lock (gate) return runs.Sum(r => r.Metrics.Count); } }

    // ------------------------------------------------------------------ dispatch

    private async Task HandleAsync(HttpContext context)
    {
        string route = context.Request.Path.Value ?? "";
        const string prefix = "/api/2.0/mlflow/";
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        int number = Interlocked.Increment(ref requestCount);
        (int Status, string ContentType, string Text) response;
        bool die = false;
        TimeSpan wait = TimeSpan.Zero;
        lock (gate)
        {
            LastAuthorization = context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null;
            string name = route.StartsWith(prefix, StringComparison.Ordinal) ? route[prefix.Length..] : route;
            string key = $"{context.Request.Method} {name}";
            RequestsByRoute[key] = RequestsByRoute.GetValueOrDefault(key) + 1;
            if (dieAfter > 0 && --dieAfter == 0) die = true;
            if (failNext > 0)
            {
                failNext--;
                response = Error(failStatus, "INTERNAL_ERROR", "injected failure");
            }
            else if (injected.Count > 0 && injected.Peek().Route == name)
            {
                var (_, status, code) = injected.Dequeue();
                response = Error(status, code, "injected");
            }
            else
            {
                response = Dispatch(context.Request, route, body);
            }
            if (response.Status == 400) Rejections++;
            if (delayNext > 0) { delayNext--; wait = delay; }
        }
        if (die)
        {
            context.Abort();
            _ = Task.Run(StopAsync);
            return;
        }
        if (wait > TimeSpan.Zero)
        {
            try { await Task.Delay(wait, context.RequestAborted); } catch (OperationCanceledException) { return; }
        }
        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        await context.Response.WriteAsync(response.Text);
    }

    private (int, string, string) Dispatch(HttpRequest request, string route, string body)
    {
        const string prefix = "/api/2.0/mlflow/";
        if (!route.StartsWith(prefix, StringComparison.Ordinal)) return NotFound();
        string name = route[prefix.Length..];
        bool post = request.Method == "POST";
        var handlers = new Dictionary<string, (bool Post, Func<JsonObject, (int, string, string)> Handle)>
        {
            ["experiments/get-by-name"] = (false, GetExperimentByName),
            ["experiments/create"] = (true, CreateExperiment),
            ["runs/create"] = (true, CreateRun),
            ["runs/update"] = (true, UpdateRun),
            ["runs/delete"] = (true, DeleteRun),
            ["runs/get"] = (false, GetRun),
            ["runs/search"] = (true, SearchRuns),
            ["runs/log-batch"] = (true, LogBatch),
            ["runs/log-inputs"] = (true, LogInputs),
            ["metrics/get-history"] = (false, GetHistory),
        };
        if (!handlers.TryGetValue(name, out var handler)) return NotFound();
        if (handler.Post != post) return (405, "text/html", "<!doctype html><html><title>405 Method Not Allowed</title><h1>Method Not Allowed</h1></html>");
        JsonObject args;
        if (post)
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.MediaType != "application/json")
                return Error(400, "BAD_REQUEST", $"Bad Request. Content-Type must be one of ['application/json'], got '{request.ContentType}'");
            try
            {
                args = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
            }
            catch (JsonException e)
            {
                return Error(400, "BAD_REQUEST", $"Malformed request body: {e.Message}");
            }
        }
        else
        {
            args = [];
            foreach (var (k, v) in request.Query) args[k] = v.ToString();
        }
        try
        {
            return handler.Handle(args);
        }
        catch (Invalid e)
        {
            return Error(e.Status, e.Code, e.Message);
        }
    }

    private sealed class Invalid(string message, string code = "INVALID_PARAMETER_VALUE", int status = 400) : Exception(message)
    {
        public int Status { get; } = status;
        public string Code { get; } = code;
    }

    // ------------------------------------------------------------------ endpoints

    private (int, string, string) GetExperimentByName(JsonObject a)
    {
        string name = RequiredString(a, "experiment_name");
        var e = experiments.FirstOrDefault(x => x.Name == name) ?? throw new Invalid($"Could not find experiment with name '{name}'", "RESOURCE_DOES_NOT_EXIST", 404);
        return Ok(new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = e.Id, ["name"] = e.Name, ["lifecycle_stage"] = "active" } });
    }

    private (int, string, string) CreateExperiment(JsonObject a)
    {
        string name = RequiredString(a, "name");
        if (name.Length == 0) throw new Invalid("Invalid experiment name: ''");
        if (experiments.Any(x => x.Name == name)) throw new Invalid($"Experiment(name={name}) already exists.", "RESOURCE_ALREADY_EXISTS");
        var e = new Experiment((nextId++).ToString(CultureInfo.InvariantCulture), name);
        experiments.Add(e);
        return Ok(new JsonObject { ["experiment_id"] = e.Id });
    }

    private (int, string, string) CreateRun(JsonObject a)
    {
        string expId = RequiredString(a, "experiment_id");
        if (experiments.All(x => x.Id != expId)) throw new Invalid($"No Experiment with id={expId} exists", "RESOURCE_DOES_NOT_EXIST", 404);
        var tags = Pairs(a, "tags", 1000, "tags");
        foreach (var t in tags) CheckKey(t.Key, "tag");
        var run = new FakeRun
        {
            Id = Guid.NewGuid().ToString("N"),
            ExperimentId = expId,
            Name = a["run_name"]?.GetValue<string>(),
            StartTime = a["start_time"] is JsonNode s ? Integer(s, "start_time") : 0,
        };
        foreach (var t in tags) run.Tags[t.Key] = Truncate(t.Value, 5000);
        if (run.Name is not null) run.Tags["mlflow.runName"] = run.Name;
        else if (run.Tags.TryGetValue("mlflow.runName", out var n)) run.Name = n;
        runs.Add(run);
        return Ok(new JsonObject { ["run"] = RunJson(run) });
    }

    private (int, string, string) UpdateRun(JsonObject a)
    {
        var run = ActiveRun(a);
        // Like MLflow, an unknown status is ignored silently: clients must validate.
        if (a["status"]?.GetValue<string>() is string status && status is "RUNNING" or "SCHEDULED" or "FINISHED" or "FAILED" or "KILLED")
            run.Status = status;
        if (a["end_time"] is JsonNode end) run.EndTime = Integer(end, "end_time");
        if (a["run_name"]?.GetValue<string>() is string name) run.Name = name;
        return Ok(new JsonObject { ["run_info"] = RunJson(run)["info"]!.DeepClone() });
    }

    private (int, string, string) DeleteRun(JsonObject a)
    {
        ActiveRun(a).Lifecycle = "deleted";
        return Ok([]);
    }

    private (int, string, string) GetRun(JsonObject a) => Ok(new JsonObject { ["run"] = RunJson(FindRun(RequiredString(a, "run_id"))) });

    private static readonly Regex Clause = new(@"^\s*tags\.(?:`([^`]+)`|([\w.]+))\s*=\s*'([^']*)'\s*$", RegexOptions.Compiled);

    private (int, string, string) SearchRuns(JsonObject a)
    {
        var ids = (a["experiment_ids"] as JsonArray)?.Select(x => x!.GetValue<string>()).ToHashSet() ?? [];
        var clauses = new List<(string Key, string Value)>();
        string filter = a["filter"]?.GetValue<string>() ?? "";
        if (filter.Trim().Length > 0)
            foreach (var part in Regex.Split(filter, @"\s+AND\s+", RegexOptions.IgnoreCase))
            {
                var m = Clause.Match(part);
                if (!m.Success) throw new Invalid($"Invalid filter '{filter}'");
                clauses.Add((m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, m.Groups[3].Value));
            }
        var matching = runs.Where(r => ids.Contains(r.ExperimentId) && r.Lifecycle == "active"
                                       && clauses.All(c => r.Tags.TryGetValue(c.Key, out var v) && v == c.Value))
            .OrderByDescending(r => r.StartTime).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
        var (page, token) = Page(matching, a, 1000, 50000);
        var result = new JsonObject();
        if (page.Count > 0) result["runs"] = new JsonArray(page.Select(r => (JsonNode)RunJson(r)).ToArray());
        if (token is not null) result["next_page_token"] = token;
        return Ok(result);
    }

    private (int, string, string) LogBatch(JsonObject a)
    {
        var run = ActiveRun(a);
        var metrics = a["metrics"] as JsonArray ?? [];
        var ps = Pairs(a, "params", int.MaxValue, "params");
        var tags = Pairs(a, "tags", int.MaxValue, "tags");
        if (metrics.Count > 1000) throw new Invalid($"A batch logging request can contain at most 1000 metrics. Got {metrics.Count} metrics.");
        if (ps.Count > 100) throw new Invalid($"A batch logging request can contain at most 100 params. Got {ps.Count} params.");
        if (tags.Count > 100) throw new Invalid($"A batch logging request can contain at most 100 tags. Got {tags.Count} tags.");
        if (metrics.Count + ps.Count + tags.Count > 1000) throw new Invalid("A batch logging request can contain at most 1000 total entities.");
        var points = new List<Point>();
        foreach (var node in metrics)
        {
            if (node is not JsonObject m) throw new Invalid("metric must be an object");
            string key = RequiredString(m, "key");
            CheckKey(key, "metric");
            double value = m["value"] switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>() switch
                {
                    "NaN" => double.NaN,
                    "Infinity" => double.MaxValue, // as SQLite stores it
                    "-Infinity" => double.MinValue,
                    var s => throw new Invalid($"Got invalid value {s} for metric '{key}'"),
                },
                _ => throw new Invalid($"Missing value for metric '{key}'"),
            };
            long timestamp = m["timestamp"] is JsonNode t ? Integer(t, "timestamp") : throw new Invalid($"Missing timestamp for metric '{key}'");
            if (timestamp < 0) throw new Invalid($"Got invalid timestamp {timestamp} for metric '{key}'");
            long step = m["step"] is JsonNode st ? Integer(st, "step") : 0;
            points.Add(new Point(key, value, timestamp, step));
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in ps)
        {
            CheckKey(p.Key, "param");
            if (!seen.Add(p.Key)) throw new Invalid($"Duplicate parameter keys have been submitted: ['{p.Key}']. Please ensure the request contains only one param value per param key.");
            string value = Truncate(p.Value, 6000);
            if (run.Params.TryGetValue(p.Key, out var old) && old != value)
                throw new Invalid($"Changing param values is not allowed. Param with key='{p.Key}' was already logged with value='{old}' for run ID='{run.Id}'. Attempted logging new value '{value}'.");
        }
        foreach (var t in tags) CheckKey(t.Key, "tag");
        // Valid: apply all of it (append-only metrics; duplicates are kept).
        foreach (var p in ps) run.Params[p.Key] = Truncate(p.Value, 6000);
        foreach (var t in tags) run.Tags[t.Key] = Truncate(t.Value, 5000);
        run.Metrics.AddRange(points);
        return Ok([]);
    }

    // MLflow 2.12's LogInputs: {run_id, datasets: [{tags: [{key, value}], dataset: {name, digest, source_type, source,
    // schema?, profile?}}]}; _validate_dataset_inputs caps the lengths (digest 36, name 500, source 65535, tag key 255,
    // tag value 500) and the SQL store keeps one dataset per (experiment, name, digest) and one link per run. The real
    // server ignores unknown fields, which would hide a misspelled one ("dataset" for "datasets"): the fake refuses them.
    private (int, string, string) LogInputs(JsonObject a)
    {
        var run = ActiveRun(a);
        var known = new HashSet<string>(["run_id", "datasets"]);
        foreach (var (k, _) in a) if (!known.Contains(k)) throw new Invalid($"Unknown field '{k}' in LogInputs", "BAD_REQUEST");
        if (a["datasets"] is not JsonArray list) throw new Invalid("Missing value for required parameter 'datasets'.");
        var parsed = new List<FakeDataset>();
        foreach (var node in list)
        {
            if (node is not JsonObject input) throw new Invalid("datasets: entries must be objects");
            foreach (var (k, _) in input) if (k is not ("tags" or "dataset")) throw new Invalid($"Unknown field '{k}' in DatasetInput", "BAD_REQUEST");
            if (input["dataset"] is not JsonObject d) throw new Invalid("Missing value for required parameter 'dataset'.");
            foreach (var (k, _) in d)
                if (k is not ("name" or "digest" or "source_type" or "source" or "schema" or "profile")) throw new Invalid($"Unknown field '{k}' in Dataset", "BAD_REQUEST");
            string name = RequiredString(d, "name"), digest = RequiredString(d, "digest"), sourceType = RequiredString(d, "source_type"), source = RequiredString(d, "source");
            if (name.Length > 500) throw new Invalid("Dataset name exceeds the maximum length of 500");
            if (digest.Length > 36) throw new Invalid("Dataset digest exceeds the maximum length of 36");
            if (source.Length > 65535) throw new Invalid("Dataset source exceeds the maximum length of 65535");
            var tags = Pairs(input, "tags", int.MaxValue, "tags");
            foreach (var t in tags)
            {
                if (t.Key.Length > 255) throw new Invalid("Input tag key exceeds the maximum length of 255");
                if (t.Value.Length > 500) throw new Invalid("Input tag value exceeds the maximum length of 500");
            }
            parsed.Add(new FakeDataset(name, digest, sourceType, source, d["schema"]?.GetValue<string>(), d["profile"]?.GetValue<string>(),
                tags.ToDictionary(t => t.Key, t => t.Value)));
        }
        foreach (var d in parsed)
            if (!run.Datasets.Any(x => x.Name == d.Name && x.Digest == d.Digest)) run.Datasets.Add(d);
        return Ok([]);
    }

    private (int, string, string) GetHistory(JsonObject a)
    {
        var run = FindRun(RequiredString(a, "run_id"));
        string key = RequiredString(a, "metric_key");
        var points = run.Metrics.Where(p => p.Key == key).ToList();
        var (page, token) = Page(points, a, 25000, 25000);
        var result = new JsonObject();
        if (page.Count > 0) result["metrics"] = new JsonArray(page.Select(p => (JsonNode)MetricJson(p)).ToArray());
        if (token is not null) result["next_page_token"] = token;
        return Ok(result);
    }

    // ------------------------------------------------------------------ rules and helpers

    private static readonly Regex KeyChars = new(@"^[\p{L}\p{Nd}_\-. /]*$", RegexOptions.Compiled);

    private static void CheckKey(string key, string what)
    {
        if (key.Length > 250) throw new Invalid($"'{key[..20]}...' exceeds the maximum length of 250 characters for {what} keys");
        if (!KeyChars.IsMatch(key))
            throw new Invalid($"Invalid {what} name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).");
        // posixpath.normpath(key) must equal key, and not be ".", "..*" or absolute.
        var segments = key.Split('/');
        if (key.Length == 0 || key.StartsWith('/') || key.StartsWith("..", StringComparison.Ordinal) || segments.Any(s => s is "" or "." or ".."))
            throw new Invalid($"Invalid {what} name: '{key}'. Names must be a normalized and relative path.");
    }

    private static string Truncate(string value, int limit) => value.Length > limit ? value[..limit] : value;

    private static (List<T> Page, string? Token) Page<T>(List<T> all, JsonObject a, int defaultSize, int maxSize)
    {
        int size = a["max_results"] is JsonNode n ? (int)Integer(n, "max_results") : defaultSize;
        if (size <= 0 || size > maxSize) throw new Invalid($"Invalid value {size} for parameter 'max_results' supplied");
        int offset = 0;
        if (a["page_token"]?.GetValue<string>() is { Length: > 0 } token)
        {
            try { offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)).Replace("offset:", ""), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw new Invalid($"Invalid page token '{token}'"); }
        }
        var page = all.Skip(offset).Take(size).ToList();
        // Like SQL stores: a full page carries a token even when nothing follows, so the last page may be empty.
        string? next = page.Count == size ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"offset:{offset + size}")) : null;
        return (page, next);
    }

    private static long Integer(JsonNode node, string name)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out long l)) return l;
        if (node is JsonValue s && s.GetValueKind() == JsonValueKind.String && long.TryParse(s.GetValue<string>(), CultureInfo.InvariantCulture, out long p)) return p;
        throw new Invalid($"Invalid value {node.ToJsonString()} for parameter '{name}' supplied");
    }

    private static string RequiredString(JsonObject a, string name) =>
        a[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
            : throw new Invalid($"Missing value for required parameter '{name}'.");

    private static List<KeyValuePair<string, string>> Pairs(JsonObject a, string name, int max, string what)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (a[name] is not JsonArray array) return list;
        foreach (var node in array)
        {
            if (node is not JsonObject o) throw new Invalid($"{what}: entries must be objects");
            list.Add(KeyValuePair.Create(RequiredString(o, "key"), o["value"]?.GetValue<string>() ?? ""));
        }
        return list;
    }

    private FakeRun FindRun(string id) =>
        runs.FirstOrDefault(r => r.Id == id) ?? throw new Invalid($"Run with id={id} not found", "RESOURCE_DOES_NOT_EXIST", 404);

    private FakeRun ActiveRun(JsonObject a)
    {
        var run = FindRun(RequiredString(a, "run_id"));
        if (run.Lifecycle != "active")
            throw new Invalid($"The run {run.Id} must be in the 'active' state. Current state is {run.Lifecycle}.");
        return run;
    }

    private static JsonObject RunJson(FakeRun r)
    {
        var info = new JsonObject
        {
            ["run_id"] = r.Id, ["run_uuid"] = r.Id, ["experiment_id"] = r.ExperimentId, ["status"] = r.Status,
            ["start_time"] = r.StartTime, ["artifact_uri"] = $"mlflow-artifacts:/{r.ExperimentId}/{r.Id}/artifacts",
            ["lifecycle_stage"] = r.Lifecycle,
        };
        if (r.Name is not null) info["run_name"] = r.Name;
        if (r.EndTime is long end) info["end_time"] = end;
        var data = new JsonObject();
        var latest = r.Metrics.GroupBy(p => p.Key)
            .Select(g => g.OrderBy(p => p.Step).ThenBy(p => p.Timestamp).ThenBy(p => p.Value).Last()).ToList();
        if (latest.Count > 0) data["metrics"] = new JsonArray(latest.Select(p => (JsonNode)MetricJson(p)).ToArray());
        if (r.Params.Count > 0) data["params"] = KeyValues(r.Params);
        if (r.Tags.Count > 0) data["tags"] = KeyValues(r.Tags);
        var result = new JsonObject { ["info"] = info, ["data"] = data };
        if (r.Datasets.Count > 0)
            result["inputs"] = new JsonObject
            {
                ["dataset_inputs"] = new JsonArray(r.Datasets.Select(d =>
                {
                    var dataset = new JsonObject { ["name"] = d.Name, ["digest"] = d.Digest, ["source_type"] = d.SourceType, ["source"] = d.Source };
                    if (d.Schema is not null) dataset["schema"] = d.Schema;
                    if (d.Profile is not null) dataset["profile"] = d.Profile;
                    var input = new JsonObject { ["dataset"] = dataset };
                    if (d.Tags.Count > 0) input["tags"] = new JsonArray(d.Tags.Select(t => (JsonNode)new JsonObject { ["key"] = t.Key, ["value"] = t.Value }).ToArray());
                    return (JsonNode)input;
                }).ToArray()),
            };
        return result;
    }

    private static JsonArray KeyValues(Dictionary<string, string> pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray());

    private static JsonObject MetricJson(Point p) => new()
    {
        ["key"] = p.Key,
        ["value"] = double.IsNaN(p.Value) ? JsonValue.Create("NaN") : JsonValue.Create(p.Value),
        ["timestamp"] = p.Timestamp,
        ["step"] = p.Step,
    };

    private static (int, string, string) Ok(JsonObject body) => (200, "application/json", body.ToJsonString());

    private static (int, string, string) Error(int status, string code, string message) =>
        (status, "application/json", new JsonObject { ["error_code"] = code, ["message"] = message }.ToJsonString());

    private static (int, string, string) NotFound() =>
        (404, "text/html; charset=utf-8", "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n");

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
