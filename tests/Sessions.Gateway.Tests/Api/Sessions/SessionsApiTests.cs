using System.Net;
using System.Text.Json;

namespace Sessions.Gateway.Tests.Api.Sessions;

public sealed class SessionsApiTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Fact]
    public async Task Creating_a_session_returns_201_with_an_active_empty_session_and_its_location()
    {
        var initiator = await _client.CreateParticipantAsync("alice");
        var peer = await _client.CreateParticipantAsync("bob");

        var response = await _client.PostJsonAsync("/api/sessions",
            $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}","kind":"support","metadata":{"topic":"billing"},"task_id":"task-7"}""");

        var session = await response.ExpectJsonAsync(HttpStatusCode.Created);
        var id = session.GetProperty("id").GetString()!;
        Assert.Equal($"/api/sessions/{id}", response.Headers.Location?.ToString());
        Assert.Equal("active", session.GetProperty("status").GetString());
        Assert.Equal(0, session.GetProperty("last_seq").GetInt64());
        Assert.Equal(initiator, session.GetProperty("initiator_id").GetString());
        Assert.Equal(peer, session.GetProperty("peer_id").GetString());
        Assert.Equal(JsonValueKind.Null, session.GetProperty("agent_id").ValueKind);
        Assert.Equal("support", session.GetProperty("kind").GetString());
        Assert.Equal("billing", session.GetProperty("metadata").GetProperty("topic").GetString());
        Assert.Equal("task-7", session.GetProperty("task_id").GetString());
    }

    [Fact]
    public async Task A_session_can_include_an_agent_and_gets_the_default_kind()
    {
        var initiator = await _client.CreateParticipantAsync("alice");
        var peer = await _client.CreateParticipantAsync("bob");
        var agent = await _client.CreateParticipantAsync("bot", kind: "agent");

        var response = await _client.PostJsonAsync("/api/sessions",
            $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}","agent_id":"{{agent}}"}""");

        var session = await response.ExpectJsonAsync(HttpStatusCode.Created);
        Assert.Equal(agent, session.GetProperty("agent_id").GetString());
        Assert.Equal("chat", session.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Getting_a_session_returns_it()
    {
        var (id, initiator, _) = await _client.CreateSessionAsync();

        var session = await (await _client.GetAsync($"/api/sessions/{id}")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal(id, session.GetProperty("id").GetString());
        Assert.Equal(initiator, session.GetProperty("initiator_id").GetString());
    }

    [Theory]
    [InlineData("0191c0de0000700080000000000000ff")]
    [InlineData("not%20an%20id")]
    public async Task Getting_an_unknown_session_is_a_404(string id)
    {
        var response = await _client.GetAsync($"/api/sessions/{id}");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    [Theory]
    [InlineData("initiator")]
    [InlineData("peer")]
    [InlineData("agent")]
    public async Task An_unknown_participant_is_a_422_naming_it_and_writes_nothing(string missing)
    {
        var initiator = missing == "initiator" ? "ghost-initiator" : await _client.CreateParticipantAsync("alice");
        var peer = missing == "peer" ? "ghost-peer" : await _client.CreateParticipantAsync("bob");
        var agent = missing == "agent" ? "ghost-agent" : null;
        var agentJson = agent is null ? "" : $$""","agent_id":"{{agent}}" """;
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}"{{agentJson}}}""");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.UnprocessableEntity, "participant-not-found");
        Assert.Equal($"ghost-{missing}", problem.GetProperty("participant_id").GetString());
        Assert.Contains($"ghost-{missing}", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task An_agent_that_is_not_of_kind_agent_is_a_400_and_writes_nothing()
    {
        var initiator = await _client.CreateParticipantAsync("alice");
        var peer = await _client.CreateParticipantAsync("bob");
        var human = await _client.CreateParticipantAsync("carol");
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/sessions",
            $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}","agent_id":"{{human}}"}""");

        await response.ExpectValidationProblemAsync("agent_id");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task A_session_with_itself_is_a_400_naming_peer_id_and_writes_nothing()
    {
        var alice = await _client.CreateParticipantAsync("alice");
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{alice}}"}""");

        await response.ExpectValidationProblemAsync("peer_id");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Theory]
    [InlineData("""{}""", new[] { "initiator_id", "peer_id" })]
    [InlineData("""{"initiator_id":"a"}""", new[] { "peer_id" })]
    [InlineData("""{"initiator_id":"","peer_id":""}""", new[] { "initiator_id", "peer_id" })]
    [InlineData("""{"initiator_id":1,"peer_id":"b"}""", new[] { "initiator_id" })]
    [InlineData("""{"initiator_id":"a","peer_id":"b","metadata":[]}""", new[] { "metadata" })]
    [InlineData("""{"initiator_id":"a","peer_id":"b","task_id":{}}""", new[] { "task_id" })]
    [InlineData("""{"initiator_id":"a","peer_id":"b","kind":"two words"}""", new[] { "kind" })]
    [InlineData("""[1,2]""", new[] { "body" })]
    public async Task Invalid_create_requests_are_a_400_listing_the_fields_and_write_nothing(string body, string[] fields)
    {
        // The named participants exist, so only the listed fields can be at fault.
        await EnsureParticipantAsync("a");
        await EnsureParticipantAsync("b");
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/sessions", body);

        await response.ExpectValidationProblemAsync(fields);
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Malformed_json_on_create_is_a_400_invalid_json_and_writes_nothing()
    {
        var before = await gateway.Database.CountRowsAsync();

        var response = await _client.PostJsonAsync("/api/sessions", """{"initiator_id":"a","peer_id":""");

        await response.ExpectProblemAsync(HttpStatusCode.BadRequest, "invalid-json");
        Assert.Equal(before, await gateway.Database.CountRowsAsync());
    }

    [Fact]
    public async Task Listing_a_participants_sessions_returns_them_newest_first_across_pages()
    {
        var alice = await _client.CreateParticipantAsync("alice");
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var peer = await _client.CreateParticipantAsync("peer");
            var response = await _client.PostJsonAsync("/api/sessions",
                i % 2 == 0 ? $$"""{"initiator_id":"{{alice}}","peer_id":"{{peer}}"}""" : $$"""{"initiator_id":"{{peer}}","peer_id":"{{alice}}"}""");
            created.Add((await response.ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!);
        }

        var first = await (await _client.GetAsync($"/api/sessions?participant_id={alice}&limit=2")).ExpectJsonAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetString();
        Assert.NotNull(cursor);
        var second = await (await _client.GetAsync($"/api/sessions?participant_id={alice}&limit=2&cursor={Uri.EscapeDataString(cursor)}"))
            .ExpectJsonAsync(HttpStatusCode.OK);

        var listed = first.GetProperty("sessions").EnumerateArray().Concat(second.GetProperty("sessions").EnumerateArray())
            .Select(s => s.GetProperty("id").GetString()!).ToList();
        Assert.Equal(Enumerable.Reverse(created), listed);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task Listing_sessions_by_status_returns_only_sessions_in_that_status()
    {
        var (open, alice, _) = await _client.CreateSessionAsync();
        var peer = await _client.CreateParticipantAsync("peer");
        var closed = (await (await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{peer}}"}"""))
            .ExpectJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await (await _client.PostJsonAsync($"/api/sessions/{closed}/status", """{"status":"closed"}""")).ExpectJsonAsync(HttpStatusCode.OK);

        var active = await (await _client.GetAsync($"/api/sessions?participant_id={alice}&status=active")).ExpectJsonAsync(HttpStatusCode.OK);
        var done = await (await _client.GetAsync($"/api/sessions?participant_id={alice}&status=closed")).ExpectJsonAsync(HttpStatusCode.OK);

        Assert.Equal([open], active.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal([closed], done.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("", new[] { "participant_id" })]
    [InlineData("participant_id=", new[] { "participant_id" })]
    [InlineData("participant_id=a&status=paused", new[] { "status" })]
    [InlineData("participant_id=a&status=Active", new[] { "status" })]
    [InlineData("participant_id=a&limit=-5", new[] { "limit" })]
    [InlineData("participant_id=a&limit=100000", new[] { "limit" })]
    [InlineData("participant_id=a&limit=ten", new[] { "limit" })]
    [InlineData("participant_id=a&cursor=%25%25%25", new[] { "cursor" })]
    [InlineData("participant_id=a&cursor=SWFsaWNl", new[] { "cursor" })] // a participant-listing cursor
    [InlineData("status=nope&limit=0", new[] { "participant_id", "status", "limit" })]
    public async Task Listing_sessions_with_bad_query_values_is_a_400_naming_them(string query, string[] fields)
    {
        var response = await _client.GetAsync($"/api/sessions?{query}");

        await response.ExpectValidationProblemAsync(fields);
    }

    [Fact]
    public async Task A_session_moves_through_its_lifecycle_and_refuses_illegal_transitions()
    {
        var (id, _, _) = await _client.CreateSessionAsync();

        foreach (var status in new[] { "suspended", "active", "idle", "active", "completed" })
        {
            var changed = await (await _client.PostJsonAsync($"/api/sessions/{id}/status", $$"""{"status":"{{status}}"}"""))
                .ExpectJsonAsync(HttpStatusCode.OK);
            Assert.Equal(status, changed.GetProperty("status").GetString());
        }

        var refused = await _client.PostJsonAsync($"/api/sessions/{id}/status", """{"status":"active"}""");
        await refused.ExpectProblemAsync(HttpStatusCode.Conflict, "invalid-transition");
        var session = await (await _client.GetAsync($"/api/sessions/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", session.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("""{"status":"paused"}""", "status")]
    [InlineData("""{"status":3}""", "status")]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{}""", "status")]
    public async Task Changing_status_with_a_bad_value_is_a_400_and_changes_nothing(string body, string field)
    {
        var (id, _, _) = await _client.CreateSessionAsync();

        var response = await _client.PostJsonAsync($"/api/sessions/{id}/status", body);

        await response.ExpectValidationProblemAsync(field);
        var session = await (await _client.GetAsync($"/api/sessions/{id}")).ExpectJsonAsync(HttpStatusCode.OK);
        Assert.Equal("active", session.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Changing_the_status_of_an_unknown_session_is_a_404()
    {
        var response = await _client.PostJsonAsync("/api/sessions/0191c0de0000700080000000000000aa/status", """{"status":"closed"}""");

        await response.ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    private async Task EnsureParticipantAsync(string id)
    {
        var response = await _client.PostJsonAsync("/api/participants", $$"""{"id":"{{id}}","kind":"human"}""");
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict);
    }
}
