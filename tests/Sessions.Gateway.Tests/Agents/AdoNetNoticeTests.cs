using System.Net;
using Sessions.Testing;
using Xunit;

namespace Sessions.Gateway.Tests.Agents;

/// <summary>
/// The agent dispatcher with its notices on Orleans' ADO.NET streams (<c>Sessions:Webhooks:NoticeStream = AdoNet</c>),
/// whose queues are migration 0011's tables. The dispatch reminder and the sweep are an hour away, so only a notice
/// that went through those queues can wake a dispatcher within the test.
/// </summary>
public sealed class AdoNetNoticeFixture : AgentDispatchFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Sessions:Webhooks:NoticeStream"] = "AdoNet",
        ["Sessions:Webhooks:DispatchReminderPeriod"] = "01:00:00",
        ["Sessions:Webhooks:DispatchSweepPeriod"] = "01:00:00",
    };
}

public sealed class AdoNetNoticeTests(AdoNetNoticeFixture fixture) : IClassFixture<AdoNetNoticeFixture>
{
    [Fact]
    public async Task Messages_of_several_sessions_reach_the_agent_in_seq_order_through_the_database_queues()
    {
        var (agent, _) = await fixture.RegisterAgentAsync();
        var sessions = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (session, alice, bob) = await fixture.CreateSessionWithAgentAsync(agent);
            sessions.Add(session);
            await fixture.AppendAsync(session, alice, "one");
            await fixture.AppendAsync(session, bob, "two");
            await fixture.AppendAsync(session, alice, "three");
        }

        foreach (var session in sessions)
        {
            await Eventually.TrueAsync(() => Task.FromResult(FirstArrivals(agent, session).Length == 3), $"three messages of {session} delivered", TimeSpan.FromSeconds(30));
            Assert.Equal([1L, 2L, 3L], FirstArrivals(agent, session));
        }

        // Each append queued a notice in PostgreSQL, and the pulling agents confirmed (deleted) what they delivered.
        Assert.True(await fixture.Database.ScalarAsync<long>("select last_value from orleans_stream_messages_message_id_seq") >= 12);
        await Eventually.TrueAsync(
            async () => await fixture.Database.ScalarAsync<long>("select count(*) from orleans_stream_messages where provider_id = 'agent-dispatch'") == 0,
            "the notices confirmed",
            TimeSpan.FromSeconds(30));
        Assert.Equal(0L, await fixture.Database.ScalarAsync<long>("select count(*) from orleans_stream_dead_letters"));
    }

    /// <summary>The seqs the sink received for a session, in the order they first arrived.</summary>
    private long[] FirstArrivals(string agentId, string sessionId) =>
        [.. fixture.Sink.Received.Where(r => r.AgentId == agentId && r.SessionId == sessionId).SelectMany(r => r.Seqs).Distinct()];
}
