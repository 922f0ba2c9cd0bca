using System.Net;

namespace Sessions.Gateway.Tests.Api.Agents;

/// <summary>Orleans keys no grain by a blank string: such an agent id is answered by the gateway itself, never a 500.</summary>
public sealed class BlankAgentIdTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private readonly HttpClient _client = gateway.Client;

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task A_blank_id_in_a_registration_is_named(string id)
    {
        var response = await _client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"https://93.184.215.14/hook"}""");

        await response.ExpectValidationProblemAsync("id");
    }

    [Fact]
    public async Task A_blank_id_in_the_path_is_not_found_on_every_route()
    {
        await (await _client.GetAsync("/api/agents/%20")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.PutAsync("/api/agents/%20", HttpApi.JsonContent("""{"timeout_ms":100}"""))).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.DeleteAsync("/api/agents/%20%20")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.PostAsync("/api/agents/%20/secret/rotate", null)).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.GetAsync("/api/agents/%20/deliveries")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
        await (await _client.PostJsonAsync("/api/agents/%20/deliveries/recover", """{"since":"2026-01-01T00:00:00Z"}""")).ExpectProblemAsync(HttpStatusCode.NotFound, "agent-not-found");
    }
}
