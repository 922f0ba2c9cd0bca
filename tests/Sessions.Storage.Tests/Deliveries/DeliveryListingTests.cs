using Sessions.Abstractions;
using Sessions.Storage.Deliveries;
using Sessions.Storage.Paging;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Deliveries;

public sealed class DeliveryListingTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly DeliverySeed _seed = new(database.DataSource);
    private DeliveryStore Store => _seed.Store;

    [Fact]
    public async Task Paging_an_agents_deliveries_returns_each_once_newest_first_across_its_sessions()
    {
        var (agent, first) = await _seed.AgentInSessionAsync();
        var (_, second) = await _seed.AgentInSessionAsync(agent);
        var (stranger, strangersSession) = await _seed.AgentInSessionAsync();
        var created = new List<Guid>();
        for (var seq = 1; seq <= 7; seq++)
        {
            created.Add((await _seed.DeliveryAsync(agent, seq % 2 == 0 ? first : second, seq)).Id);
            await _seed.DeliveryAsync(stranger, strangersSession, seq);
        }

        var pages = await WalkAsync(DeliveryLogQuery.ByAgent(agent, limit: 3));

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        Assert.Equal(Enumerable.Reverse(created), pages.SelectMany(p => p));
    }

    [Fact]
    public async Task Deliveries_created_while_paging_neither_repeat_nor_hide_older_ones()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var created = new List<Guid>();
        for (var seq = 1; seq <= 5; seq++)
        {
            created.Add((await _seed.DeliveryAsync(agent, session, seq)).Id);
        }

        var seen = new List<Guid>();
        string? cursor = null;
        var seq2 = 6;
        do
        {
            var page = await Store.ListAsync(DeliveryLogQuery.BySession(session, limit: 2, cursor: cursor), CancellationToken.None);
            seen.AddRange(page.Deliveries.Select(d => d.Id));
            cursor = page.NextCursor;
            await _seed.DeliveryAsync(agent, session, seq2++); // newer than anything the walk has left to see
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Reverse(created), seen);
    }

    [Fact]
    public async Task A_session_listing_covers_every_agent_in_the_session_and_can_keep_to_one_status()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var otherAgent = await _seed.Seed.ParticipantAsync(ParticipantKind.Agent);
        var failedEarly = await _seed.FailedAsync(agent, session, 1);
        var succeeded = await _seed.SucceededAsync(otherAgent, session, 1);
        var pending = await _seed.DeliveryAsync(agent, session, 2);
        var failedLate = await _seed.FailedAsync(otherAgent, session, 2);
        var failedElsewhere = await _seed.FailedAsync(agent, (await _seed.AgentInSessionAsync(agent)).SessionId, 1);

        var all = await WalkAsync(DeliveryLogQuery.BySession(session, limit: 10));
        var failed = await WalkAsync(DeliveryLogQuery.BySession(session, limit: 1, status: DeliveryStatus.Failed));
        var agentsFailed = await WalkAsync(DeliveryLogQuery.ByAgent(agent, limit: 1, status: DeliveryStatus.Failed));
        var agentInSession = await WalkAsync(new DeliveryLogQuery(agent, session, null, 10));

        Assert.Equal([failedLate.Id, pending.Id, succeeded.Id, failedEarly.Id], all.SelectMany(p => p));
        Assert.Equal([failedLate.Id, failedEarly.Id], failed.SelectMany(p => p));
        Assert.Equal([failedElsewhere.Id, failedEarly.Id], agentsFailed.SelectMany(p => p));
        Assert.Equal([pending.Id, failedEarly.Id], agentInSession.SelectMany(p => p));
    }

    [Fact]
    public async Task Each_listed_delivery_carries_its_attempts_in_order()
    {
        var (agent, session) = await _seed.AgentInSessionAsync();
        var retried = await _seed.DeliveryAsync(agent, session, 1);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await _seed.RecordAsync(DeliverySeed.Attempt(retried.Id, attempt), DeliveryOutcome.RetryAt(retried.CreatedAt.AddMinutes(attempt)));
        }

        await _seed.DeliveryAsync(agent, session, 2);

        var page = await Store.ListAsync(DeliveryLogQuery.BySession(session, limit: 10), CancellationToken.None);

        Assert.Equal([(2L, 0, 0), (1L, 3, 3)], page.Deliveries.Select(d => (d.FirstSeq, d.AttemptCount, d.Attempts.Count)));
        Assert.Equal([1, 2, 3], page.Deliveries[1].Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task An_empty_listing_has_no_cursor()
    {
        var page = await Store.ListAsync(DeliveryLogQuery.ByAgent(Seed.NewId("nobody"), limit: 5), CancellationToken.None);

        Assert.Equal((0, (string?)null), (page.Deliveries.Count, page.NextCursor));
    }

    [Theory]
    [InlineData("not a cursor")]
    [InlineData("")]
    public async Task A_cursor_not_issued_by_a_delivery_listing_is_refused(string cursor)
    {
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            Store.ListAsync(DeliveryLogQuery.ByAgent("agent", limit: 5, cursor: cursor), CancellationToken.None));
    }

    [Fact]
    public async Task A_cursor_of_the_session_listing_is_refused_even_when_the_session_id_is_a_uuid()
    {
        // The gateway names sessions with uuids: such a cursor holds a time and something that parses as a uuid.
        var initiator = await _seed.Seed.ParticipantAsync();
        for (var i = 0; i < 2; i++)
        {
            var command = new CreateSessionCommand(initiator, await _seed.Seed.ParticipantAsync(), null, "support", null, null);
            await _seed.Seed.Sessions.TryInsertAsync(Guid.CreateVersion7().ToString("N"), command, CancellationToken.None);
        }

        var sessionsPage = await _seed.Seed.Sessions.ListByParticipantAsync(initiator, null, 1, null, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            Store.ListAsync(DeliveryLogQuery.ByAgent("agent", limit: 5, cursor: sessionsPage.NextCursor), CancellationToken.None));
    }

    [Fact]
    public async Task A_listing_without_an_agent_or_a_session_is_a_programming_error() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ListAsync(new DeliveryLogQuery(null, null, null, 5), CancellationToken.None));

    /// <summary>Follows next_cursor to the end; each page's delivery ids.</summary>
    private async Task<List<List<Guid>>> WalkAsync(DeliveryLogQuery query)
    {
        var pages = new List<List<Guid>>();
        var next = query;
        while (true)
        {
            var page = await Store.ListAsync(next, CancellationToken.None);
            pages.Add(page.Deliveries.Select(d => d.Id).ToList());
            Assert.True(pages.Count < 100, "The walk does not end.");
            if (page.NextCursor is null)
            {
                return pages;
            }

            Assert.Equal(next.Limit, page.Deliveries.Count);
            next = next with { Cursor = page.NextCursor };
        }
    }
}
