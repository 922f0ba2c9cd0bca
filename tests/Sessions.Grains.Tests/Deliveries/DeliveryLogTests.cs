using System.Buffers.Text;
using System.Text;
using Sessions.Storage.Deliveries;

namespace Sessions.Grains.Tests.Deliveries;

/// <summary>Reading the delivery log by agent, by session and by id through its grain, in pages of at most 3.</summary>
public sealed class DeliveryLogTests(SmallPagesSiloFixture fixture) : IClassFixture<SmallPagesSiloFixture>
{
    private readonly DeliveryLogSeed _seed = new(fixture);

    private IDeliveryLogGrain Log => fixture.Grains.GetGrain<IDeliveryLogGrain>(0);

    [Fact]
    public async Task An_agents_deliveries_come_newest_first_with_their_attempts_as_stored()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var retried = await _seed.DeliveryAsync(agent, session, 1, 2);
        await _seed.AttemptAsync(retried, 1, null, DeliveryOutcome.RetryAt(retried.CreatedAt.AddSeconds(5)), error: "timeout after 10000 ms");
        retried = await _seed.AttemptAsync(retried, 2, 200, DeliveryOutcome.Succeeded, excerpt: """{"ok":true}""");
        var waiting = await _seed.AttemptAsync(await _seed.DeliveryAsync(agent, session, 3), 1, 503, DeliveryOutcome.RetryAt(retried.CreatedAt.AddMinutes(1)));

        var page = await Log.ListByAgentAsync(agent, new DeliveryQuery());

        Assert.Null(page.NextCursor);
        Assert.Equal([waiting.Id, retried.Id], page.Deliveries.Select(d => d.Id));
        var pending = page.Deliveries[0];
        Assert.Equal((DeliveryStatus.Pending, 1, "HTTP 503", waiting.NextAttemptAt, (DateTimeOffset?)null),
            (pending.Status, pending.AttemptCount, pending.LastError, pending.NextAttemptAt, pending.CompletedAt));
        var done = page.Deliveries[1];
        Assert.Equal((agent, session, 1L, 2L, DeliveryStatus.Succeeded, 2, (string?)null, retried.CreatedAt, retried.CompletedAt),
            (done.AgentId, done.SessionId, done.FirstSeq, done.LastSeq, done.Status, done.AttemptCount, done.LastError, done.CreatedAt, done.CompletedAt));
        Assert.Equal(
            [
                new DeliveryAttempt(1, DeliveryTrigger.Scheduled, retried.Attempts[0].StartedAt, retried.Attempts[0].FinishedAt, 40, null, "timeout after 10000 ms", null),
                new DeliveryAttempt(2, DeliveryTrigger.Scheduled, retried.Attempts[1].StartedAt, retried.Attempts[1].FinishedAt, 40, 200, null, """{"ok":true}"""),
            ],
            done.Attempts);
    }

    [Fact]
    public async Task Paging_walks_every_delivery_once_and_the_status_filter_keeps_to_one_status()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var (_, otherSession) = await _seed.AgentInSessionAsync(agent);
        var all = new List<DeliveryRow>();
        for (var seq = 1; seq <= 5; seq++)
        {
            all.Add(seq % 2 == 1 ? await _seed.FailedAsync(agent, seq < 3 ? session : otherSession, seq) : await _seed.SucceededAsync(agent, session, seq));
        }

        var walked = await WalkAsync(query => Log.ListByAgentAsync(agent, query), new DeliveryQuery());
        var failed = await WalkAsync(query => Log.ListByAgentAsync(agent, query), new DeliveryQuery(DeliveryStatus.Failed, Limit: 1));

        Assert.Equal([2, 2, 1], walked.Select(page => page.Count));
        Assert.Equal(all.Select(d => d.Id).Reverse(), walked.SelectMany(page => page));
        Assert.Equal(all.Where(d => d.Status == DeliveryStatus.Failed).Select(d => d.Id).Reverse(), failed.SelectMany(page => page));
    }

    [Fact]
    public async Task A_sessions_deliveries_cover_each_of_its_agents()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var otherAgent = await _seed.ParticipantAsync("agent", ParticipantKind.Agent);
        var first = await _seed.SucceededAsync(agent, session, 1);
        var second = await _seed.FailedAsync(otherAgent, session, 1);
        await _seed.FailedAsync(agent, (await _seed.AgentInSessionAsync(agent)).SessionId, 1);

        var all = await WalkAsync(query => Log.ListBySessionAsync(session, query), new DeliveryQuery(Limit: 3));
        var succeeded = await WalkAsync(query => Log.ListBySessionAsync(session, query), new DeliveryQuery(DeliveryStatus.Succeeded));

        Assert.Equal([second.Id, first.Id], all.SelectMany(page => page));
        Assert.Equal([first.Id], succeeded.SelectMany(page => page));
    }

    [Fact]
    public async Task A_known_agent_or_session_without_deliveries_has_an_empty_page_and_an_unknown_one_is_not_found()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();

        var byAgent = await Log.ListByAgentAsync(agent, new DeliveryQuery());
        var bySession = await Log.ListBySessionAsync(session, new DeliveryQuery());

        Assert.Equal((0, (string?)null), (byAgent.Deliveries.Count, byAgent.NextCursor));
        Assert.Equal((0, (string?)null), (bySession.Deliveries.Count, bySession.NextCursor));
        foreach (var unknown in new[] { "nobody-here", "not an id", "" })
        {
            Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => Log.ListByAgentAsync(unknown, new DeliveryQuery()))).Code);
            Assert.Equal(SessionErrors.SessionNotFound, (await Assert.ThrowsAsync<SessionException>(() => Log.ListBySessionAsync(unknown, new DeliveryQuery()))).Code);
        }
    }

    [Fact]
    public async Task The_log_outlives_a_registration_that_was_removed()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var registration = fixture.Grains.GetGrain<IAgentGrain>(agent);
        await registration.RegisterAsync(new RegisterAgentCommand("https://93.184.215.14/hook"));
        var delivery = await _seed.FailedAsync(agent, session, 1);

        await registration.DeleteAsync();
        var page = await Log.ListByAgentAsync(agent, new DeliveryQuery());

        Assert.Equal(delivery.Id, Assert.Single(page.Deliveries).Id);
    }

    public static TheoryData<DeliveryQuery, string[]> BadQueries => new()
    {
        { new DeliveryQuery((DeliveryStatus)(-1)), ["status"] },
        { new DeliveryQuery((DeliveryStatus)3), ["status"] },
        { new DeliveryQuery(Limit: 0), ["limit"] },
        { new DeliveryQuery(Limit: SmallPagesSiloFixture.MaxPageSize + 1), ["limit"] },
        { new DeliveryQuery(Cursor: "%%%"), ["cursor"] },
        { new DeliveryQuery(Cursor: Base64Url.EncodeToString(Encoding.UTF8.GetBytes("Ialice"))), ["cursor"] }, // a listing by id
        { new DeliveryQuery((DeliveryStatus)7, Limit: -1), ["limit", "status"] },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_query_is_refused_by_name_on_both_listings(DeliveryQuery query, string[] fields)
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        await _seed.FailedAsync(agent, session, 1);

        var byAgent = await Assert.ThrowsAsync<SessionException>(() => Log.ListByAgentAsync(agent, query));
        var bySession = await Assert.ThrowsAsync<SessionException>(() => Log.ListBySessionAsync(session, query));

        Assert.Equal(fields, byAgent.Fields.Keys.Order());
        Assert.Equal(fields, bySession.Fields.Keys.Order());
    }

    [Fact]
    public async Task A_bad_query_is_answered_before_an_unknown_agent()
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Log.ListByAgentAsync("nobody-here", new DeliveryQuery((DeliveryStatus)5)));

        Assert.Equal(["status"], refused.Fields.Keys);
        Assert.Equal("status must be one of pending, succeeded, failed.", refused.Message);
    }

    [Fact]
    public async Task A_delivery_is_found_by_its_id_and_an_unknown_one_is_not_found()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var delivery = await _seed.AttemptAsync(await _seed.DeliveryAsync(agent, session, 4, 9), 1, 410, DeliveryOutcome.Failed, trigger: DeliveryTrigger.Manual);
        var unknown = Guid.CreateVersion7();

        var found = await Log.GetAsync(delivery.Id);
        var missing = await Assert.ThrowsAsync<SessionException>(() => Log.GetAsync(unknown));

        Assert.Equal((delivery.Id, DeliveryStatus.Failed, 4L, 9L, "HTTP 410"), (found.Id, found.Status, found.FirstSeq, found.LastSeq, found.LastError));
        Assert.Equal(DeliveryTrigger.Manual, Assert.Single(found.Attempts).Trigger);
        Assert.Equal(SessionErrors.DeliveryNotFound, missing.Code);
        Assert.Equal($"Delivery '{unknown}' does not exist.", missing.Message);
    }

    /// <summary>Follows the next cursor from the first page to the last; each page's delivery ids.</summary>
    private static async Task<List<List<Guid>>> WalkAsync(Func<DeliveryQuery, Task<DeliveryPage>> list, DeliveryQuery first)
    {
        var pages = new List<List<Guid>>();
        var query = first;
        while (true)
        {
            var page = await list(query);
            pages.Add([.. page.Deliveries.Select(d => d.Id)]);
            Assert.True(pages.Count < 100, "The walk does not end.");
            if (page.NextCursor is null)
            {
                return pages;
            }

            query = query with { Cursor = page.NextCursor };
        }
    }
}
