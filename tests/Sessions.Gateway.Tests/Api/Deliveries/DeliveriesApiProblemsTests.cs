using System.Net;

namespace Sessions.Gateway.Tests.Api.Deliveries;

public sealed class DeliveriesApiProblemsTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;
    private readonly DeliveryLogSeed _seed = new(gateway);

    [Theory]
    [InlineData("status=nope", new[] { "status" })]
    [InlineData("status=Failed", new[] { "status" })]
    [InlineData("status=", new[] { "status" })]
    [InlineData("limit=0", new[] { "limit" })]
    [InlineData("limit=501", new[] { "limit" })]
    [InlineData("limit=ten", new[] { "limit" })]
    [InlineData("cursor=%25%25%25", new[] { "cursor" })]
    [InlineData("cursor=SWFsaWNl", new[] { "cursor" })] // a participant-listing cursor
    [InlineData("status=done&limit=-1", new[] { "status", "limit" })]
    public async Task A_bad_query_is_a_validation_problem_on_both_listings(string query, string[] fields)
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        await _seed.FailedAsync(agent, session, 1);

        await (await _client.GetAsync($"/api/agents/{agent}/deliveries?{query}")).ExpectValidationProblemAsync(fields);
        await (await _client.GetAsync($"/api/sessions/{session}/deliveries?{query}")).ExpectValidationProblemAsync(fields);
    }

    [Fact]
    public async Task A_cursor_of_another_listing_is_refused_even_when_the_session_id_is_a_uuid()
    {
        // Session listings page by (created_at, session id), and the gateway's session ids are uuids.
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (_, _) = await _seed.AgentInSessionAsync(agent);
        var sessions = await (await _client.GetAsync($"/api/sessions?participant_id={agent}&limit=1")).ExpectJsonAsync(HttpStatusCode.OK);
        var cursor = Uri.EscapeDataString(sessions.GetProperty("next_cursor").GetString()!);

        await (await _client.GetAsync($"/api/sessions/{session}/deliveries?cursor={cursor}")).ExpectValidationProblemAsync("cursor");
    }

    [Theory]
    [InlineData("nobody-here")]
    [InlineData("not%20an%20id")]
    public async Task An_unknown_agent_is_agent_not_found(string agent)
    {
        await (await _client.GetAsync($"/api/agents/{agent}/deliveries")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
    }

    [Theory]
    [InlineData("0190b7a1c0de7000800000000000abcd")]
    [InlineData("not%20an%20id")]
    public async Task An_unknown_session_is_session_not_found(string session)
    {
        await (await _client.GetAsync($"/api/sessions/{session}/deliveries")).ExpectProblemAsync(HttpStatusCode.NotFound, "session-not-found");
    }

    [Theory]
    [InlineData("0190b7a1-c0de-7000-8000-00000000abcd")]
    [InlineData("not-a-uuid")]
    public async Task An_unknown_delivery_is_delivery_not_found(string id)
    {
        await (await _client.GetAsync($"/api/deliveries/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound, "delivery-not-found");
    }

    [Fact]
    public async Task A_bad_query_is_answered_before_an_unknown_agent()
    {
        await (await _client.GetAsync("/api/agents/nobody-here/deliveries?status=nope")).ExpectValidationProblemAsync("status");
    }
}
