using System.Net;
using System.Text.Json;
using Sessions.Storage.Deliveries;

namespace Sessions.Gateway.Tests.Api.Deliveries;

public sealed class DeliveriesApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string[] DeliveryFields =
        ["agent_id", "attempt_count", "attempts", "completed_at", "created_at", "first_seq", "id", "last_error", "last_seq", "next_attempt_at", "session_id", "status"];

    private static readonly string[] AttemptFields =
        ["attempt", "error", "finished_at", "http_status", "latency_ms", "response_excerpt", "started_at", "trigger"];

    private readonly HttpClient _client = gateway.Client;
    private readonly DeliveryLogSeed _seed = new(gateway);

    [Fact]
    public async Task An_agents_deliveries_come_newest_first_with_their_attempts()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var retried = await _seed.DeliveryAsync(agent, session, 1, 2);
        await _seed.AttemptAsync(retried, 1, null, DeliveryOutcome.RetryAt(retried.CreatedAt.AddSeconds(5)), error: "timeout after 10000 ms");
        retried = await _seed.AttemptAsync(retried, 2, 200, DeliveryOutcome.Succeeded, excerpt: """{"ok":true}""");
        var waiting = await _seed.AttemptAsync(await _seed.DeliveryAsync(agent, session, 3), 1, 503, DeliveryOutcome.RetryAt(retried.CreatedAt.AddMinutes(1)));

        var body = await (await _client.GetAsync($"/api/agents/{agent}/deliveries")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["deliveries", "next_cursor"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
        var deliveries = body.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal([waiting.Id, retried.Id], deliveries.Select(d => d.GetProperty("id").GetGuid()));
        Assert.All(deliveries, d => Assert.Equal(DeliveryFields, d.EnumerateObject().Select(p => p.Name).Order()));

        var pending = deliveries[0];
        Assert.Equal(("pending", 1, "HTTP 503", JsonValueKind.Null), (Text(pending, "status"), pending.GetProperty("attempt_count").GetInt32(), Text(pending, "last_error"), pending.GetProperty("completed_at").ValueKind));
        Assert.Equal(waiting.NextAttemptAt, pending.GetProperty("next_attempt_at").GetDateTimeOffset());

        var done = deliveries[1];
        Assert.Equal((agent, session, 1L, 2L, "succeeded", 2), (Text(done, "agent_id"), Text(done, "session_id"), done.GetProperty("first_seq").GetInt64(), done.GetProperty("last_seq").GetInt64(), Text(done, "status"), done.GetProperty("attempt_count").GetInt32()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (done.GetProperty("next_attempt_at").ValueKind, done.GetProperty("last_error").ValueKind));
        Assert.Equal((retried.CreatedAt, retried.CompletedAt), (done.GetProperty("created_at").GetDateTimeOffset(), done.GetProperty("completed_at").GetDateTimeOffset()));
        var attempts = done.GetProperty("attempts").EnumerateArray().ToList();
        Assert.All(attempts, a => Assert.Equal(AttemptFields, a.EnumerateObject().Select(p => p.Name).Order()));
        Assert.Equal(
            [(1, "scheduled", JsonValueKind.Null, "timeout after 10000 ms", JsonValueKind.Null), (2, "scheduled", JsonValueKind.Number, null, JsonValueKind.String)],
            attempts.Select(a => (a.GetProperty("attempt").GetInt32(), Text(a, "trigger"), a.GetProperty("http_status").ValueKind, Text(a, "error"), a.GetProperty("response_excerpt").ValueKind)));
        var second = retried.Attempts[1];
        Assert.Equal((200, 40, """{"ok":true}""", second.StartedAt, second.FinishedAt),
            (attempts[1].GetProperty("http_status").GetInt32(), attempts[1].GetProperty("latency_ms").GetInt32(), Text(attempts[1], "response_excerpt"),
             attempts[1].GetProperty("started_at").GetDateTimeOffset(), attempts[1].GetProperty("finished_at").GetDateTimeOffset()));
    }

    [Fact]
    public async Task Paging_with_limit_and_cursor_walks_every_delivery_once_and_the_status_filter_keeps_to_one_status()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (_, otherSession) = await _seed.AgentInSessionAsync(agent);
        var all = new List<DeliveryRow>();
        for (var seq = 1; seq <= 5; seq++)
        {
            all.Add(seq % 2 == 1 ? await _seed.FailedAsync(agent, seq < 3 ? session : otherSession, seq) : await _seed.SucceededAsync(agent, session, seq));
        }

        var walked = await WalkAsync($"/api/agents/{agent}/deliveries", "limit=2");
        var failed = await WalkAsync($"/api/agents/{agent}/deliveries", "limit=1&status=failed");

        Assert.Equal([2, 2, 1], walked.Select(page => page.Count));
        Assert.Equal(all.Select(d => d.Id).Reverse(), walked.SelectMany(page => page));
        Assert.Equal(all.Where(d => d.Status == DeliveryStatus.Failed).Select(d => d.Id).Reverse(), failed.SelectMany(page => page));
    }

    [Fact]
    public async Task A_sessions_deliveries_cover_each_of_its_agents()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var otherAgent = await _client.CreateParticipantAsync("agent", "agent");
        var first = await _seed.SucceededAsync(agent, session, 1);
        var second = await _seed.FailedAsync(otherAgent, session, 1);
        await _seed.FailedAsync(agent, (await _seed.AgentInSessionAsync(agent)).SessionId, 1);

        var all = await WalkAsync($"/api/sessions/{session}/deliveries", "");
        var succeeded = await WalkAsync($"/api/sessions/{session}/deliveries", "status=succeeded");

        Assert.Equal([second.Id, first.Id], all.SelectMany(page => page));
        Assert.Equal([first.Id], succeeded.SelectMany(page => page));
    }

    [Fact]
    public async Task A_delivery_is_found_by_its_id_in_any_uuid_spelling()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.AttemptAsync(await _seed.DeliveryAsync(agent, session, 4, 9), 1, 410, DeliveryOutcome.Failed, trigger: DeliveryTrigger.Manual);

        var byId = await (await _client.GetAsync($"/api/deliveries/{delivery.Id}")).ExpectJsonAsync(HttpStatusCode.OK);
        var byCompactId = await (await _client.GetAsync($"/api/deliveries/{delivery.Id:N}")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(DeliveryFields, byId.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal((delivery.Id.ToString(), "failed", 4L, 9L, "HTTP 410"), (Text(byId, "id"), Text(byId, "status"), byId.GetProperty("first_seq").GetInt64(), byId.GetProperty("last_seq").GetInt64(), Text(byId, "last_error")));
        Assert.Equal("manual", Text(Assert.Single(byId.GetProperty("attempts").EnumerateArray()), "trigger"));
        Assert.Equal(byId.GetRawText(), byCompactId.GetRawText());
    }

    [Fact]
    public async Task A_known_agent_or_session_without_deliveries_has_an_empty_page()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();

        foreach (var path in new[] { $"/api/agents/{agent}/deliveries", $"/api/sessions/{session}/deliveries" })
        {
            var body = await (await _client.GetAsync(path)).ExpectJsonAsync(HttpStatusCode.OK);
            Assert.Equal(0, body.GetProperty("deliveries").GetArrayLength());
            Assert.Equal(JsonValueKind.Null, body.GetProperty("next_cursor").ValueKind);
        }
    }

    [Fact]
    public async Task The_openapi_document_describes_the_delivery_routes()
    {
        var document = await (await _client.GetAsync("/openapi/v1.json")).ExpectJsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "/api/agents/{id}/deliveries", "/api/sessions/{id}/deliveries", "/api/deliveries/{id}" }, paths);
        Assert.True(document.GetProperty("components").GetProperty("schemas").TryGetProperty("DeliveryView", out var view));
        Assert.True(view.GetProperty("properties").TryGetProperty("attempt_count", out _));
    }

    private static string? Text(JsonElement element, string property) => element.GetProperty(property).GetString();

    /// <summary>Follows next_cursor from the first page to the last; each page's delivery ids.</summary>
    private async Task<List<List<Guid>>> WalkAsync(string path, string query)
    {
        var pages = new List<List<Guid>>();
        string? cursor = null;
        do
        {
            var url = cursor is null ? $"{path}?{query}" : $"{path}?{query}&cursor={Uri.EscapeDataString(cursor)}";
            var body = await (await _client.GetAsync(url)).ExpectJsonAsync(HttpStatusCode.OK);
            pages.Add([.. body.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetGuid())]);
            cursor = body.GetProperty("next_cursor").GetString();
            Assert.True(pages.Count < 100, "The walk does not end.");
        }
        while (cursor is not null);

        return pages;
    }
}
