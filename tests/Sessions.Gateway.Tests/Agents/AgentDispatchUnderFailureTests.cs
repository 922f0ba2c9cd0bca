using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Sessions.Testing;
using Sessions.Testing.Webhooks;
using Xunit;
using Xunit.Abstractions;

namespace Sessions.Gateway.Tests.Agents;

/// <summary>Delivery against endpoints that fail: at random, or always.</summary>
public sealed class AgentDispatchUnderFailureTests(AgentDispatchFixture fixture, ITestOutputHelper output) : IClassFixture<AgentDispatchFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private WebhookSink Sink => fixture.Sink;

    [Fact]
    public async Task Every_message_reaches_an_endpoint_that_fails_at_random_first_deliveries_in_order_and_every_attempt_logged()
    {
        // Enough attempts that a delivery is never dead-lettered here (0.6^50), so every message must arrive.
        var (agent, _) = await fixture.RegisterAgentAsync(""","max_attempts":50""");
        var sessions = new List<(string Id, string Alice, string Bob)>();
        for (var i = 0; i < 12; i++)
        {
            sessions.Add(await fixture.CreateSessionWithAgentAsync(agent));
        }

        var random = new Random(20261129);
        var answeredOk = new ConcurrentDictionary<string, byte>();
        Sink.Behavior = request =>
        {
            if (request.AgentId != agent)
            {
                return SinkAnswer.Ok();
            }

            int roll;
            lock (random)
            {
                roll = random.Next(100);
            }

            switch (roll)
            {
                case < 40:
                    answeredOk[request.WebhookId] = 0;
                    return SinkAnswer.Ok();
                case < 55: return SinkAnswer.Fail(500);
                case < 65: return SinkAnswer.Fail(503);
                case < 75: return SinkAnswer.Fail(429, retryAfter: "0");
                case < 85: return SinkAnswer.Hang(TimeSpan.FromSeconds(3)); // past the 1 s timeout
                default: return SinkAnswer.Drop();
            }
        };

        // Three writers append to all the sessions at once.
        var expected = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 3), async (writer, _) =>
        {
            for (var round = 0; round < 6; round++)
            {
                foreach (var (id, alice, bob) in sessions)
                {
                    var seq = await fixture.AppendAsync(id, writer % 2 == 0 ? alice : bob, $"w{writer} r{round}");
                    expected.GetOrAdd(id, _ => []).Add(seq);
                }
            }
        });

        foreach (var (id, _, _) in sessions)
        {
            await Eventually.TrueAsync(
                async () => (await fixture.DeliveriesOfAsync(id)) is { Length: > 0 } all && all.All(d => d.GetProperty("status").GetString() == "succeeded")
                    && all.Max(d => d.GetProperty("last_seq").GetInt64()) == expected[id].Max(),
                $"every delivery of {id} succeeded", Deadline);
        }

        var requests = Sink.Received.Where(r => r.AgentId == agent).ToArray();
        foreach (var (id, _, _) in sessions)
        {
            var ofSession = requests.Where(r => r.SessionId == id).ToArray();
            var delivered = ofSession.Where(r => answeredOk.ContainsKey(r.WebhookId)).SelectMany(r => r.Seqs).ToHashSet();
            Assert.Equal(expected[id].Order(), delivered.Order());

            // The first time each seq reached the endpoint, seqs came in order.
            var firstSeen = new List<long>();
            foreach (var seq in ofSession.SelectMany(r => r.Seqs))
            {
                if (!firstSeen.Contains(seq))
                {
                    firstSeen.Add(seq);
                }
            }

            Assert.Equal(firstSeen.Order(), firstSeen);
        }

        // Every request the endpoint saw is an attempt in the log, and the other way round.
        Assert.Equal(requests.Length, await CountAttemptsAsync(agent));
        output.WriteLine($"{sessions.Count} sessions, {expected.Values.Sum(b => b.Count)} messages, {requests.Length} attempts, {answeredOk.Count} deliveries answered 200.");
    }

    [Fact]
    public async Task A_dead_endpoint_does_not_delay_a_healthy_agent()
    {
        // The dead endpoint holds every attempt for its whole 5 s timeout: a healthy delivery queued behind one would show.
        var (dead, _) = await fixture.RegisterAgentAsync(""","timeout_ms":5000""");
        var (healthy, _) = await fixture.RegisterAgentAsync();
        var deadSessions = new List<(string Id, string Alice, string Bob)>();
        var healthySessions = new List<(string Id, string Alice, string Bob)>();
        for (var i = 0; i < 8; i++)
        {
            deadSessions.Add(await fixture.CreateSessionWithAgentAsync(dead));
            healthySessions.Add(await fixture.CreateSessionWithAgentAsync(healthy));
        }

        Sink.Behavior = r => r.AgentId == dead ? SinkAnswer.Hang(TimeSpan.FromSeconds(30)) : SinkAnswer.Ok();
        var sent = new ConcurrentDictionary<(string, long), DateTimeOffset>();
        for (var round = 0; round < 5; round++)
        {
            foreach (var ((deadId, deadAlice, _), (healthyId, healthyAlice, _)) in deadSessions.Zip(healthySessions))
            {
                await fixture.AppendAsync(deadId, deadAlice, "into the void");
                var at = DateTimeOffset.UtcNow;
                sent[(healthyId, await fixture.AppendAsync(healthyId, healthyAlice, "hello"))] = at;
            }
        }

        await Eventually.TrueAsync(
            () => Sink.Received.Where(r => r.AgentId == healthy).SelectMany(r => r.Seqs.Select(s => (r.SessionId, s))).Distinct().Count() == sent.Count,
            "every healthy message delivered", Deadline);
        var lags = Sink.Received.Where(r => r.AgentId == healthy)
            .SelectMany(r => r.Seqs.Select(s => (r.SessionId, Seq: s, r.ReceivedAt)))
            .GroupBy(x => (x.SessionId, x.Seq))
            .Select(g => (g.Min(x => x.ReceivedAt) - sent[g.Key]).TotalMilliseconds)
            .Order()
            .ToArray();
        var deadAttempts = Sink.Received.Count(r => r.AgentId == dead);
        output.WriteLine($"healthy agent lag over {lags.Length} messages: p50 {lags[lags.Length / 2]:0} ms, max {lags[^1]:0} ms, while the dead agent's endpoint held {deadAttempts} attempts.");

        Assert.True(deadAttempts >= deadSessions.Count, $"the dead endpoint was tried only {deadAttempts} times");
        Assert.True(lags[^1] < 2500, $"a healthy delivery took {lags[^1]:0} ms: it waited for the dead endpoint");
    }

    private async Task<long> CountAttemptsAsync(string agentId)
    {
        await using var connection = new NpgsqlConnection(fixture.Gateway.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) from webhook_attempts a join webhook_deliveries d on d.id = a.delivery_id where d.agent_id = @agent", connection);
        command.Parameters.AddWithValue("agent", agentId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
