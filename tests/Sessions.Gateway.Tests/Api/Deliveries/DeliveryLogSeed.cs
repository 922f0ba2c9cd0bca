using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Storage.Deliveries;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Api.Deliveries;

/// <summary>
/// Agents and sessions made through the HTTP API, and deliveries written through the gateway's own
/// <see cref="DeliveryStore"/> (in the running system only the agent dispatcher writes the log).
/// </summary>
public sealed class DeliveryLogSeed(GatewayFixture gateway) : DeliveryLogWriter(gateway.Gateway.Services.GetRequiredService<DeliveryStore>())
{
    private readonly HttpClient _client = gateway.Client;

    /// <summary>A session between two new humans with <paramref name="agentId"/> (a new agent participant when null) as its agent.</summary>
    public async Task<(string AgentId, string SessionId)> AgentInSessionAsync(string? agentId = null)
    {
        var agent = agentId ?? await _client.CreateParticipantAsync("agent", "agent");
        var initiator = await _client.CreateParticipantAsync("alice");
        var peer = await _client.CreateParticipantAsync("bob");
        var response = await _client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{initiator}}","peer_id":"{{peer}}","agent_id":"{{agent}}"}""");
        var session = await response.ExpectJsonAsync(HttpStatusCode.Created);
        return (agent, session.GetProperty("id").GetString()!);
    }
}
