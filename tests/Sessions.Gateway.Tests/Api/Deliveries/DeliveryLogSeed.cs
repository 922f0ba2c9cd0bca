using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Storage.Deliveries;

namespace Sessions.Gateway.Tests.Api.Deliveries;

/// <summary>
/// Agents and sessions made through the HTTP API, and deliveries written through the gateway's own
/// <see cref="DeliveryStore"/> (in the running system only the agent dispatcher writes the log).
/// </summary>
public sealed class DeliveryLogSeed(GatewayFixture gateway)
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _client = gateway.Client;

    public DeliveryStore Store { get; } = gateway.Gateway.Services.GetRequiredService<DeliveryStore>();

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

    public Task<DeliveryRow> DeliveryAsync(string agentId, string sessionId, long firstSeq, long? lastSeq = null) =>
        Store.CreateAsync(new NewDelivery(Guid.CreateVersion7(), agentId, sessionId, firstSeq, lastSeq ?? firstSeq), CancellationToken.None);

    /// <summary>Records attempt <paramref name="attempt"/>, 40 ms long, with the given answer and outcome.</summary>
    public async Task<DeliveryRow> AttemptAsync(
        DeliveryRow delivery, int attempt, int? httpStatus, DeliveryOutcome outcome, string? error = null, string? excerpt = null,
        DeliveryTrigger trigger = DeliveryTrigger.Scheduled)
    {
        var started = Epoch.AddSeconds(attempt);
        var record = new DeliveryAttemptRecord(delivery.Id, attempt, trigger, started, started.AddMilliseconds(40), 40, httpStatus, error, excerpt);
        return (await Store.RecordAttemptAsync(record, outcome, CancellationToken.None))!;
    }

    public async Task<DeliveryRow> FailedAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 500, DeliveryOutcome.Failed);

    public async Task<DeliveryRow> SucceededAsync(string agentId, string sessionId, long seq) =>
        await AttemptAsync(await DeliveryAsync(agentId, sessionId, seq), 1, 200, DeliveryOutcome.Succeeded);
}
