using System.Net;
using System.Text.Json;
using Sessions.Testing.Webhooks;

namespace Sessions.Gateway.Tests.Agents;

/// <summary>
/// A gateway whose agents deliver to a <see cref="WebhookSink"/> on loopback, with a quick retry schedule and a short
/// timeout, so failures play out within a test.
/// </summary>
public class AgentDispatchFixture : GatewayFixture
{
    public const int MaxAttempts = 12;
    private WebhookSink? _sink;

    public WebhookSink Sink => _sink ?? throw new InvalidOperationException("The fixture is not initialized.");

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sessions:Webhooks:AllowLoopback"] = "true",
        ["Sessions:Webhooks:DefaultTimeout"] = "00:00:01",
        ["Sessions:Webhooks:DefaultMaxAttempts"] = $"{MaxAttempts}",
        ["Sessions:Webhooks:DefaultRetryBaseDelay"] = "00:00:00.050",
        ["Sessions:Webhooks:DefaultMaxRetryDelay"] = "00:00:00.400",
        ["Sessions:Webhooks:DispatchReminderPeriod"] = "00:00:02",
        ["Sessions:Webhooks:DispatchSweepPeriod"] = "00:00:02",
        ["Sessions:Webhooks:DispatchSweepGrace"] = "00:00:01",
        // Random failures must not open circuits here (circuits have tests of their own).
        ["Sessions:Webhooks:CircuitBreaker:MinimumThroughput"] = "100000",
    };

    public override async Task InitializeAsync()
    {
        _sink = await WebhookSink.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sink is not null)
        {
            await _sink.DisposeAsync();
        }
    }

    /// <summary>Registers a new agent whose webhook is this sink; returns its id and secret.</summary>
    public async Task<(string AgentId, string Secret)> RegisterAgentAsync(string settings = "")
    {
        var id = HttpApi.Unique("agent");
        var response = await Client.PostJsonAsync("/api/agents", $$"""{"id":"{{id}}","url":"{{Sink.UrlOf(id)}}"{{settings}}}""");
        var agent = await response.ExpectJsonAsync(HttpStatusCode.Created);
        return (id, agent.GetProperty("secret").GetString()!);
    }

    /// <summary>Two new humans and a session between them with <paramref name="agentId"/> attached.</summary>
    public async Task<(string SessionId, string Alice, string Bob)> CreateSessionWithAgentAsync(string agentId)
    {
        var alice = await Client.CreateParticipantAsync("alice");
        var bob = await Client.CreateParticipantAsync("bob");
        var response = await Client.PostJsonAsync("/api/sessions", $$"""{"initiator_id":"{{alice}}","peer_id":"{{bob}}","agent_id":"{{agentId}}"}""");
        var session = await response.ExpectJsonAsync(HttpStatusCode.Created);
        return (session.GetProperty("id").GetString()!, alice, bob);
    }

    public async Task<long> AppendAsync(string sessionId, string senderId, string text)
    {
        var message = await (await Client.AppendAsync(sessionId, senderId, text)).ExpectJsonAsync(HttpStatusCode.Created);
        return message.GetProperty("seq").GetInt64();
    }

    /// <summary>The session's deliveries (newest first), with their attempts, from the delivery log API.</summary>
    public async Task<JsonElement[]> DeliveriesOfAsync(string sessionId)
    {
        var page = await (await Client.GetAsync($"/api/sessions/{sessionId}/deliveries?limit=100")).ExpectJsonAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("deliveries").EnumerateArray()];
    }
}
