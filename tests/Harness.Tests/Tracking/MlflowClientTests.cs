using System.Diagnostics;
using Harness.Tracking.Mlflow;

namespace Harness.Tests.Tracking;

public sealed class MlflowClientTests : IAsyncLifetime
{
    private FakeMlflowServer server = null!;

    public async Task InitializeAsync() => server = await FakeMlflowServer.StartAsync();
    public async Task DisposeAsync() => await server.DisposeAsync();

    private MlflowClient Client(Func<MlflowSettings, MlflowSettings>? tweak = null) =>
        new((tweak ?? (s => s))(MlflowTestData.Fast(server.Uri)));

    private async Task<string> NewRunAsync(MlflowClient client)
    {
        string exp = await client.GetOrCreateExperimentAsync("client-test");
        return (await client.CreateRunAsync(exp, "r", 1, new Dictionary<string, string>())).RunId;
    }

    [Fact]
    public async Task Missing_experiment_is_created_once_and_found_again()
    {
        using var client = Client();
        Assert.Null(await client.GetExperimentIdAsync("e1"));
        string id = await client.GetOrCreateExperimentAsync("e1");
        Assert.Equal(id, await client.GetOrCreateExperimentAsync("e1"));
        Assert.Equal(1, server.ExperimentCount("e1"));
    }

    [Fact]
    public async Task Concurrent_create_of_one_experiment_from_several_clients_gives_one_id()
    {
        var clients = Enumerable.Range(0, 8).Select(_ => Client()).ToList();
        var ids = await Task.WhenAll(clients.Select(c => Task.Run(() => c.GetOrCreateExperimentAsync("shared"))));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, server.ExperimentCount("shared"));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Losing_the_create_race_reads_the_winners_id()
    {
        using var client = Client();
        string winner = await client.CreateExperimentAsync("race");
        server.Inject("experiments/get-by-name", 404, "RESOURCE_DOES_NOT_EXIST"); // it "did not exist yet" when we looked
        Assert.Equal(winner, await client.GetOrCreateExperimentAsync("race"));
        Assert.Equal(2, server.RequestsByRoute["POST experiments/create"]); // ours got RESOURCE_ALREADY_EXISTS
    }

    [Fact]
    public async Task Metrics_params_and_tags_are_chunked_to_the_documented_limits()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        var metrics = Enumerable.Range(0, 2500).Select(i => new MlflowMetric("m" + (i % 3), i, 10, i)).ToList();
        var ps = Enumerable.Range(0, 250).Select(i => KeyValuePair.Create($"p{i}", "v")).ToList();
        var tags = Enumerable.Range(0, 150).Select(i => KeyValuePair.Create($"t{i}", "v")).ToList();
        int before = server.RequestsByRoute.GetValueOrDefault("POST runs/log-batch");
        await client.LogBatchAsync(run, metrics, ps, tags);
        Assert.Equal(0, server.Rejections);
        // 2900 entities, at most 100 params, 100 tags and 1000 entities per request: three full requests.
        Assert.Equal(3, server.RequestsByRoute["POST runs/log-batch"] - before);
        var stored = server.Runs("client-test").Single();
        Assert.Equal(2500, stored.Metrics.Count);
        Assert.Equal(250, stored.Params.Count);
        Assert.Equal(151, stored.Tags.Count); // + mlflow.runName
    }

    [Fact]
    public async Task Fake_rejects_oversized_batches_so_chunking_matters()
    {
        using var http = new HttpClient();
        using var client = Client();
        string run = await NewRunAsync(client);
        string metrics = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"key\":\"m\",\"value\":1,\"timestamp\":1,\"step\":{i}}}"));
        var response = await http.PostAsync(new Uri(server.Uri, "/api/2.0/mlflow/runs/log-batch"),
            new StringContent($"{{\"run_id\":\"{run}\",\"metrics\":[{metrics}]}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("INVALID_PARAMETER_VALUE", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Text_plain_body_is_rejected_by_the_server()
    {
        using var http = new HttpClient();
        var response = await http.PostAsync(new Uri(server.Uri, "/api/2.0/mlflow/experiments/create"),
            new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "text/plain"));
        Assert.Equal(400, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("/x")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("a:b")]
    [InlineData("")]
    [InlineData("a\tb")]
    public async Task Invalid_keys_are_refused_before_sending(string key)
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        int before = server.RequestCount;
        await Assert.ThrowsAsync<ArgumentException>(() => client.LogBatchAsync(run, [new MlflowMetric(key, 1, 1, 1)]));
        await Assert.ThrowsAsync<ArgumentException>(() => client.LogBatchAsync(run, parameters: [KeyValuePair.Create(key, "v")]));
        Assert.Equal(before, server.RequestCount);
    }

    [Fact]
    public async Task Keys_of_250_characters_pass_and_251_do_not()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await client.LogBatchAsync(run, [new MlflowMetric(new string('k', 250), 1, 1, 1)]);
        await Assert.ThrowsAsync<ArgumentException>(() => client.LogBatchAsync(run, [new MlflowMetric(new string('k', 251), 1, 1, 1)]));
        Assert.Null(MlflowKeys.Problem("train_loss"));
        Assert.Null(MlflowKeys.Problem("a b/c-d.e_f"));
    }

    [Fact]
    public async Task Server_enforces_key_rules_too()
    {
        using var http = new HttpClient();
        using var client = Client();
        string run = await NewRunAsync(client);
        foreach (var key in new[] { new string('k', 251), "../x", "a//b" })
        {
            var response = await http.PostAsync(new Uri(server.Uri, "/api/2.0/mlflow/runs/log-batch"),
                new StringContent($"{{\"run_id\":\"{run}\",\"params\":[{{\"key\":\"{key}\",\"value\":\"v\"}}]}}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task NaN_and_infinities_travel_as_strings_and_come_back()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await client.LogBatchAsync(run, [new("v", double.NaN, 1, 1), new("v", double.PositiveInfinity, 1, 2), new("v", double.NegativeInfinity, 1, 3)]);
        var history = await client.GetMetricHistoryAsync(run, "v");
        Assert.True(double.IsNaN(history[0].Value));
        Assert.Equal(double.MaxValue, history[1].Value); // SQLite's +Infinity
        Assert.True(new MlflowMetric("v", double.PositiveInfinity, 1, 2).SameAs(history[1]));
    }

    [Fact]
    public async Task Params_are_write_once_and_a_change_is_reported_with_the_servers_message()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await client.LogBatchAsync(run, parameters: [KeyValuePair.Create("lr", "0.1")]);
        await client.LogBatchAsync(run, parameters: [KeyValuePair.Create("lr", "0.1")]); // same value: fine
        var e = await Assert.ThrowsAsync<MlflowException>(() => client.LogBatchAsync(run, parameters: [KeyValuePair.Create("lr", "0.2")]));
        Assert.Equal("INVALID_PARAMETER_VALUE", e.ErrorCode);
        Assert.Contains("Changing param values is not allowed", e.Message);
        Assert.Equal(MlflowFailureKind.Rejected, e.Kind);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            client.LogBatchAsync(run, parameters: [KeyValuePair.Create("x", "1"), KeyValuePair.Create("x", "2")]));
    }

    [Fact]
    public async Task Long_param_values_are_shortened_deterministically_with_a_hash()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        string value = new('v', 7000);
        await client.LogBatchAsync(run, parameters: [KeyValuePair.Create("long", value)]);
        await client.LogBatchAsync(run, parameters: [KeyValuePair.Create("long", value)]); // write-once still holds
        string stored = server.Runs("client-test").Single().Params["long"];
        Assert.Equal(6000, stored.Length);
        Assert.Contains("sha256:", stored);
    }

    [Fact]
    public async Task Logging_to_a_deleted_run_is_rejected()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await client.DeleteRunAsync(run);
        var e = await Assert.ThrowsAsync<MlflowException>(() => client.LogBatchAsync(run, [new MlflowMetric("m", 1, 1, 1)]));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, e.Status);
    }

    [Fact]
    public async Task Status_is_validated_on_the_client()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await Assert.ThrowsAsync<ArgumentException>(() => client.UpdateRunAsync(run, "DONE"));
        await client.UpdateRunAsync(run, MlflowRunStatus.Killed, 5);
        var stored = await client.GetRunAsync(run);
        Assert.Equal("KILLED", stored.Status);
        Assert.Equal(5, stored.EndTime);
    }

    [Fact]
    public async Task Search_follows_page_tokens_through_the_final_empty_page()
    {
        using var client = Client();
        string exp = await client.GetOrCreateExperimentAsync("client-test");
        for (int i = 0; i < 6; i++)
            await client.CreateRunAsync(exp, $"r{i}", i, new Dictionary<string, string> { ["k"] = i % 2 == 0 ? "even" : "odd" });
        int before = server.RequestsByRoute.GetValueOrDefault("POST runs/search");
        var even = await client.SearchRunsAsync([exp], MlflowClient.TagFilter(("k", "even")), pageSize: 3);
        Assert.Equal(3, even.Count);
        Assert.Equal(2, server.RequestsByRoute["POST runs/search"] - before); // a full page, then an empty one
        Assert.Equal(6, (await client.SearchRunsAsync([exp], null, pageSize: 2)).Count);
    }

    [Fact]
    public async Task History_is_paged()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        await client.LogBatchAsync(run, Enumerable.Range(1, 7).Select(i => new MlflowMetric("m", i, 1, i)).ToList());
        var history = await client.GetMetricHistoryAsync(run, "m", pageSize: 2);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), history.Select(h => h.Step));
    }

    [Fact]
    public async Task Errors_carry_the_servers_code_and_html_pages_are_readable()
    {
        using var client = Client();
        var e = await Assert.ThrowsAsync<MlflowException>(() => client.GetRunAsync("nope"));
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", e.ErrorCode);

        using var wrongRoot = new MlflowClient(MlflowTestData.Fast(new Uri(server.Uri, "/not-mlflow")));
        var html = await Assert.ThrowsAsync<MlflowException>(() => wrongRoot.GetRunAsync("x"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, html.Status);
        Assert.Null(html.ErrorCode);
        Assert.Equal(MlflowFailureKind.NotMlflowServer, html.Kind);
        Assert.False(html.IsTransient);
        Assert.EndsWith("is not an MLflow tracking server (HTTP 404, text/html)", html.Message);
        Assert.DoesNotContain("<", html.Message);
    }

    [Fact]
    public async Task Transient_5xx_on_an_idempotent_request_is_retried()
    {
        using var client = Client();
        server.FailNext(2, 503);
        string id = await client.GetOrCreateExperimentAsync("retry");
        Assert.NotNull(id);
    }

    [Fact]
    public async Task Throttling_429_is_retried_even_for_metrics()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        server.FailNext(2, 429);
        await client.LogBatchAsync(run, [new MlflowMetric("m", 1, 1, 1)]);
        Assert.Single(server.Runs("client-test").Single().Metrics);
    }

    [Fact]
    public async Task Ambiguous_metric_batch_is_verified_and_never_duplicated()
    {
        using var setup = Client();
        string run = await NewRunAsync(setup); // with the generous timeout: only the batch below is meant to time out
        using var client = Client(s => s with { RequestTimeout = MlflowTestData.ShortRequestTimeout });
        // Processed, but the answer comes after the client's timeout: the client cannot know it landed.
        server.DelayNext(1, TimeSpan.FromSeconds(1));
        await client.LogBatchAsync(run, Enumerable.Range(1, 5).Select(i => new MlflowMetric("m", i, 100, i)).ToList());
        Assert.Equal(5, server.Runs("client-test").Single().Metrics.Count);
    }

    [Fact]
    public async Task A_500_on_a_metric_batch_resends_only_what_did_not_land()
    {
        using var client = Client();
        string run = await NewRunAsync(client);
        server.FailNext(1, 500); // not processed: the history check finds nothing, so everything is resent once
        await client.LogBatchAsync(run, Enumerable.Range(1, 5).Select(i => new MlflowMetric("m", i, 100, i)).ToList());
        Assert.Equal(5, server.Runs("client-test").Single().Metrics.Count);
    }

    [Fact]
    public async Task Refused_connection_fails_fast_as_transient()
    {
        using var client = new MlflowClient(MlflowTestData.Fast(FakeMlflowServer.ClosedPortUri()));
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<MlflowException>(() => client.GetOrCreateExperimentAsync("x"));
        Assert.Equal(MlflowFailureKind.NotSent, e.Kind);
        Assert.Equal(3, client.RequestCount); // MaxAttempts
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), clock.Elapsed.ToString());
    }

    [Fact]
    public async Task Credentials_are_sent_as_bearer_or_basic()
    {
        using (var bearer = Client(s => s with { Token = "tok-123" }))
        {
            await bearer.GetExperimentIdAsync("x");
            Assert.Equal("Bearer tok-123", server.LastAuthorization);
        }
        using (var basic = Client(s => s with { Username = "ann", Password = "pw" }))
        {
            await basic.GetExperimentIdAsync("x");
            Assert.Equal("Basic " + Convert.ToBase64String("ann:pw"u8.ToArray()), server.LastAuthorization);
        }
    }
}
