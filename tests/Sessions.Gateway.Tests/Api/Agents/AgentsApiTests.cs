using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Gateway.Tests.Api.Agents;

public sealed class AgentsApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    // A public address given literally, so no test depends on DNS.
    private const string PublicUrl = "https://93.184.215.14/hooks/agent";
    private readonly HttpClient _client = gateway.Client;
    private readonly AgentStore _store = gateway.Gateway.Services.GetRequiredService<AgentStore>();

    [Fact]
    public async Task Registering_a_new_agent_creates_its_participant_and_shows_the_defaults_and_the_secret_once()
    {
        var id = HttpApi.Unique("bot");

        var response = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""");

        var agent = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/agents/{id}", response.Headers.Location?.ToString());
        Assert.Equal(id, agent.GetProperty("id").GetString());
        Assert.Equal(PublicUrl, agent.GetProperty("url").GetString());
        Assert.Equal("enabled", agent.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("disabled_reason").ValueKind);
        Assert.Equal(10_000, agent.GetProperty("timeout_ms").GetInt64());
        Assert.Equal(8, agent.GetProperty("max_attempts").GetInt32());
        Assert.Equal(1_000, agent.GetProperty("retry_base_delay_ms").GetInt64());
        Assert.Equal(600_000, agent.GetProperty("retry_max_delay_ms").GetInt64());
        Assert.Equal(0, agent.GetProperty("debounce_ms").GetInt64());
        Assert.Equal("tail", agent.GetProperty("history").GetProperty("mode").GetString());
        Assert.Equal(20, agent.GetProperty("history").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, agent.GetProperty("previous_secret_expires_at").ValueKind);
        var secret = agent.GetProperty("secret").GetString();
        Assert.NotNull(WebhookSecret.TryDecode(secret));
        Assert.Equal(secret, (await _store.GetAsync(id, CancellationToken.None))!.Secret);

        var participant = await (await _client.GetAsync($"/api/participants/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("agent", participant.GetProperty("kind").GetString());
        var fetched = await (await _client.GetAsync($"/api/agents/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.False(fetched.TryGetProperty("previous_secret", out _));
        Assert.Equal(agent.GetProperty("created_at").GetDateTimeOffset(), fetched.GetProperty("created_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Registering_an_existing_agent_participant_reuses_it_and_keeps_the_given_settings_and_secret()
    {
        var id = await _client.CreateParticipantAsync("agent", kind: "agent");
        var secret = WebhookSecret.Generate();
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/agents", $$"""
            {"id":"{{id}}","url":"{{PublicUrl}}","secret":"{{secret}}","timeout_ms":2500,"max_attempts":3,
             "retry_base_delay_ms":200,"retry_max_delay_ms":5000,"debounce_ms":250,"history":{"mode":"entire","count":300},"status":"disabled"}
            """);

        var agent = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
        Assert.Equal(secret, agent.GetProperty("secret").GetString());
        Assert.Equal((2500L, 3, 200L, 5000L, 250L), (agent.GetProperty("timeout_ms").GetInt64(), agent.GetProperty("max_attempts").GetInt32(),
            agent.GetProperty("retry_base_delay_ms").GetInt64(), agent.GetProperty("retry_max_delay_ms").GetInt64(), agent.GetProperty("debounce_ms").GetInt64()));
        Assert.Equal(("entire", 300), (agent.GetProperty("history").GetProperty("mode").GetString(), agent.GetProperty("history").GetProperty("count").GetInt32()));
        Assert.Equal(("disabled", "manual"), (agent.GetProperty("status").GetString(), agent.GetProperty("disabled_reason").GetString()));
        var stored = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal(new AgentSettings(2500, 3, 200, 5000, 250, AgentHistoryMode.Entire, 300), stored!.Settings);
    }

    [Theory]
    [InlineData("human")]
    [InlineData("system")]
    public async Task Registering_a_participant_of_another_kind_is_a_409_that_writes_nothing(string kind)
    {
        var id = await _client.CreateParticipantAsync("someone", kind);
        var (rows, agents) = (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync());

        var response = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""");

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "participant-not-agent");
        Assert.Equal((rows, agents), (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync()));
        var kept = await (await _client.GetAsync($"/api/participants/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(kind, kept.GetProperty("kind").GetString());
        await (await _client.GetAsync($"/api/agents/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
    }

    [Fact]
    public async Task Registering_an_agent_twice_is_a_409_that_keeps_the_first_registration()
    {
        var id = HttpApi.Unique("twice");
        var first = await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var (rows, agents) = (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync());

        var response = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"https://93.184.215.15/other"}""");

        await response.ExpectProblemAsync(HttpStatusCode.Conflict, "agent-exists");
        Assert.Equal((rows, agents), (await gateway.Database.CountRowsAsync(), await gateway.Database.CountAgentsAsync()));
        var kept = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal((PublicUrl, first.GetProperty("secret").GetString()), (kept!.Url, kept.Secret));
    }

    [Fact]
    public async Task An_agent_without_an_id_gets_a_generated_one()
    {
        var response = await _client.PostJsonAsync("/api/agents", $$"""{"url":"{{PublicUrl}}"}""");

        var agent = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var id = agent.GetProperty("id").GetString()!;
        Assert.Matches("^[A-Za-z0-9._:@-]+$", id);
        await (await _client.GetAsync(response.Headers.Location)).ExpectJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_loopback_url_is_accepted_when_the_configuration_allows_loopback()
    {
        // The fixture sets Sessions:Webhooks:AllowLoopback; WebhookUrlCheckTests show the default refuses it.
        var response = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{HttpApi.Unique("local")}}","url":"http://127.0.0.1:9/hook"}""");

        await response.ExpectJsonAsync(HttpStatusCode.Created);
        var named = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{HttpApi.Unique("local")}}","url":"http://localhost:9/hook"}""");
        await named.ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Rotating_the_secret_shows_the_new_one_once_and_keeps_the_old_one_until_the_grace_ends()
    {
        var id = HttpApi.Unique("rotate");
        var created = await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var old = created.GetProperty("secret").GetString();
        var before = DateTimeOffset.UtcNow;

        var rotated = await (await _client.PostAsync($"/api/agents/{id}/secret/rotate", null)).ExpectJsonAsync(HttpStatusCode.OK);

        var secret = rotated.GetProperty("secret").GetString();
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.NotNull(WebhookSecret.TryDecode(secret));
        Assert.NotEqual(old, secret);
        Assert.InRange(expires, before.AddHours(24).AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));
        Assert.Equal(["previous_secret_expires_at", "secret"], rotated.EnumerateObject().Select(p => p.Name).Order());
        var stored = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal((secret, old), (stored!.Secret, stored.PreviousSecret));
        Assert.Equal(expires, stored.PreviousSecretExpiresAt);
        var fetched = await (await _client.GetAsync($"/api/agents/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expires, fetched.GetProperty("previous_secret_expires_at").GetDateTimeOffset());
        Assert.False(fetched.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Rotating_to_a_given_secret_stores_it_and_a_malformed_one_is_a_400()
    {
        var id = HttpApi.Unique("rotate");
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var chosen = WebhookSecret.Generate();

        var rotated = await (await _client.PostJsonAsync($"/api/agents/{id}/secret/rotate", $$"""{"secret":"{{chosen}}"}""")).ExpectJsonAsync(HttpStatusCode.OK);
        var refused = await _client.PostJsonAsync($"/api/agents/{id}/secret/rotate", """{"secret":"whsec_short"}""");

        Assert.Equal(chosen, rotated.GetProperty("secret").GetString());
        await refused.ExpectValidationProblemAsync("secret");
        Assert.Equal(chosen, (await _store.GetAsync(id, CancellationToken.None))!.Secret);
        await (await _client.PostAsync("/api/agents/nobody-here/secret/rotate", null)).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
    }

    [Fact]
    public async Task Updating_changes_only_the_members_given_and_null_returns_a_setting_to_its_default()
    {
        var id = HttpApi.Unique("update");
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}","max_attempts":4}""")).ExpectJsonAsync(HttpStatusCode.Created);

        var changed = await (await _client.PutAsync($"/api/agents/{id}", HttpApi.JsonContent("""{"timeout_ms":2500}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((2500L, 4, PublicUrl), (changed.GetProperty("timeout_ms").GetInt64(), changed.GetProperty("max_attempts").GetInt32(), changed.GetProperty("url").GetString()));
        Assert.False(changed.TryGetProperty("secret", out _));

        var reset = await (await _client.PutAsync($"/api/agents/{id}", HttpApi.JsonContent(
            """{"max_attempts":null,"url":"https://93.184.215.15/moved","history":{"mode":"last"}}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal((2500L, 8, "https://93.184.215.15/moved"), (reset.GetProperty("timeout_ms").GetInt64(), reset.GetProperty("max_attempts").GetInt32(), reset.GetProperty("url").GetString()));
        Assert.Equal("last", reset.GetProperty("history").GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.Null, reset.GetProperty("history").GetProperty("count").ValueKind);
        Assert.Equal(new AgentSettings(TimeoutMs: 2500, HistoryMode: AgentHistoryMode.Last), (await _store.GetAsync(id, CancellationToken.None))!.Settings);
    }

    [Fact]
    public async Task Disabling_through_the_api_records_manual_and_enabling_clears_the_reason()
    {
        var id = HttpApi.Unique("status");
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);

        var disabled = await (await _client.PutAsync($"/api/agents/{id}", HttpApi.JsonContent("""{"status":"disabled"}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("disabled", "manual"), (disabled.GetProperty("status").GetString(), disabled.GetProperty("disabled_reason").GetString()));

        await _store.DisableAsync(id, "gone", CancellationToken.None);
        var gone = await (await _client.GetAsync($"/api/agents/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("gone", gone.GetProperty("disabled_reason").GetString());

        var enabled = await (await _client.PutAsync($"/api/agents/{id}", HttpApi.JsonContent("""{"status":"enabled"}"""))).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("enabled", enabled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
    }

    [Theory]
    [InlineData("""{"secret":"whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}""", "secret")]
    [InlineData("""{"id":"another-id"}""", "id")]
    [InlineData("""{"url":""}""", "url")]
    [InlineData("""{"url":"http://10.20.30.40/hook"}""", "url")]
    [InlineData("""{"retry_base_delay_ms":700000}""", "retry_base_delay_ms")]
    [InlineData("""{"timeout_ms":0}""", "timeout_ms")]
    public async Task A_refused_update_is_a_400_that_changes_nothing(string body, string field)
    {
        var id = HttpApi.Unique("keep");
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        var before = await _store.GetAsync(id, CancellationToken.None);

        var response = await _client.PutAsync($"/api/agents/{id}", HttpApi.JsonContent(body));

        await response.ExpectValidationProblemAsync(field);
        Assert.Equal(before, await _store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_agents_are_404_on_every_route()
    {
        await (await _client.GetAsync("/api/agents/nobody-here")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.GetAsync("/api/agents/" + Uri.EscapeDataString("not an id"))).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.PutAsync("/api/agents/nobody-here", HttpApi.JsonContent("""{"timeout_ms":100}"""))).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.DeleteAsync("/api/agents/nobody-here")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");

        // A participant that is an agent but has no registration is not a registered agent either.
        var bare = await _client.CreateParticipantAsync("bare", kind: "agent");
        await (await _client.GetAsync($"/api/agents/{bare}")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
    }

    [Fact]
    public async Task Deleting_removes_the_registration_and_keeps_the_participant()
    {
        var id = HttpApi.Unique("delete");
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);

        var response = await _client.DeleteAsync($"/api/agents/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await _store.GetAsync(id, CancellationToken.None));
        await (await _client.GetAsync($"/api/agents/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.GetAsync($"/api/participants/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        await (await _client.DeleteAsync($"/api/agents/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");

        // The participant can be registered again.
        await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Listing_agents_walks_every_page_by_ascending_id_without_secrets()
    {
        var prefix = HttpApi.Unique("list");
        foreach (var suffix in new[] { "c", "a", "e", "b", "d" })
        {
            await (await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{prefix}}-{{suffix}}","url":"{{PublicUrl}}"}""")).ExpectJsonAsync(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var query = cursor is null ? "/api/agents?limit=2" : $"/api/agents?limit=2&cursor={Uri.EscapeDataString(cursor)}";
            var page = await (await _client.GetAsync(query)).ExpectJsonAsync(HttpStatusCode.OK);
            var agents = page.GetProperty("agents").EnumerateArray().ToList();
            Assert.InRange(agents.Count, 1, 2);
            Assert.All(agents, agent => Assert.False(agent.TryGetProperty("secret", out _)));
            seen.AddRange(agents.Select(agent => agent.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 1000);

        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(new[] { "a", "b", "c", "d", "e" }.Select(s => $"{prefix}-{s}"), seen.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=501", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    public async Task Listing_agents_with_a_bad_limit_or_cursor_is_a_400(string query, string field)
    {
        await (await _client.GetAsync($"/api/agents?{query}")).ExpectValidationProblemAsync(field);
    }
}
