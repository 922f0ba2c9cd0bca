using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Paging;
using Sessions.Storage.Sessions;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Sessions;

public sealed class SessionStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private SessionStore Store => _seed.Sessions;

    [Fact]
    public async Task Inserting_creates_an_active_session_with_an_empty_log()
    {
        var (initiator, peer, agent) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync(), await _seed.ParticipantAsync(ParticipantKind.Agent));
        var id = Seed.NewId("s");

        var session = await Store.TryInsertAsync(id,
            new CreateSessionCommand(initiator, peer, agent, "support", Seed.Json("""{"b":1,"a":2}"""), "task-7"), CancellationToken.None);

        Assert.NotNull(session);
        Assert.Equal((id, initiator, peer, agent, "support", SessionStatus.Active, "task-7"),
            (session.Id, session.InitiatorId, session.PeerId, session.AgentId, session.Kind, session.Status, session.TaskId));
        Assert.Equal((0L, (string?)null, (DateTimeOffset?)null), (session.LastSeq, session.LastMessageId, session.LastMessageAt));
        Assert.Equal("""{"a": 2, "b": 1}""", session.Metadata?.GetRawText());
        Assert.Equal(session.CreatedAt, session.UpdatedAt);
        Assert.Equal(session.CreatedAt, (await Store.GetAsync(id, CancellationToken.None))!.CreatedAt);
    }

    [Fact]
    public async Task Inserting_a_taken_id_returns_null()
    {
        var session = await _seed.SessionAsync();

        var again = await Store.TryInsertAsync(session.Id,
            new CreateSessionCommand(session.PeerId, session.InitiatorId, null, "other", null, null), CancellationToken.None);

        Assert.Null(again);
        Assert.Equal(session.InitiatorId, (await Store.GetAsync(session.Id, CancellationToken.None))!.InitiatorId);
    }

    [Fact]
    public async Task A_session_between_a_participant_and_itself_is_refused_by_the_schema()
    {
        var alone = await _seed.ParticipantAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            Store.TryInsertAsync(Seed.NewId("s"), new CreateSessionCommand(alone, alone, null, "x", null, null), CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
    }

    [Fact]
    public async Task Getting_an_unknown_session_returns_null() =>
        Assert.Null(await Store.GetAsync(Seed.NewId("none"), CancellationToken.None));

    [Fact]
    public async Task Changing_status_from_the_current_one_moves_it_and_bumps_updated_at()
    {
        var session = await _seed.SessionAsync();

        var suspended = await Store.TryChangeStatusAsync(session.Id, SessionStatus.Active, SessionStatus.Suspended, CancellationToken.None);

        Assert.Equal(SessionStatus.Suspended, suspended?.Status);
        Assert.True(suspended!.UpdatedAt > session.UpdatedAt);
        Assert.Equal(session.CreatedAt, suspended.CreatedAt);
        Assert.Equal(SessionStatus.Suspended, (await Store.GetAsync(session.Id, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Changing_status_from_a_stale_one_returns_null_and_changes_nothing()
    {
        var session = await _seed.SessionAsync();
        await Store.TryChangeStatusAsync(session.Id, SessionStatus.Active, SessionStatus.Idle, CancellationToken.None);
        var idle = await Store.GetAsync(session.Id, CancellationToken.None);

        var lost = await Store.TryChangeStatusAsync(session.Id, SessionStatus.Active, SessionStatus.Closed, CancellationToken.None);

        Assert.Null(lost);
        var now = await Store.GetAsync(session.Id, CancellationToken.None);
        Assert.Equal((SessionStatus.Idle, idle!.UpdatedAt), (now!.Status, now.UpdatedAt));
    }

    [Fact]
    public async Task Changing_status_of_an_unknown_session_returns_null() =>
        Assert.Null(await Store.TryChangeStatusAsync(Seed.NewId("none"), SessionStatus.Active, SessionStatus.Closed, CancellationToken.None));

    [Fact]
    public async Task Listing_by_participant_finds_it_in_every_role_newest_first()
    {
        var me = await _seed.ParticipantAsync(ParticipantKind.Agent);
        var asInitiator = await _seed.SessionAsync(initiatorId: me);
        var asPeer = await _seed.SessionAsync(peerId: me);
        var asAgent = await _seed.SessionAsync(agentId: me);
        await _seed.SessionAsync(); // someone else's

        var page = await Store.ListByParticipantAsync(me, null, 10, null, CancellationToken.None);

        Assert.Equal([asAgent.Id, asPeer.Id, asInitiator.Id], page.Sessions.Select(s => s.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Listing_shows_a_session_once_when_the_participant_has_two_roles_in_it()
    {
        var agent = await _seed.ParticipantAsync(ParticipantKind.Agent);
        var session = await _seed.SessionAsync(peerId: agent, agentId: agent);

        var page = await Store.ListByParticipantAsync(agent, null, 10, null, CancellationToken.None);

        Assert.Equal([session.Id], page.Sessions.Select(s => s.Id));
    }

    [Fact]
    public async Task Listing_by_participant_can_keep_to_one_status()
    {
        var me = await _seed.ParticipantAsync();
        var open = await _seed.SessionAsync(initiatorId: me);
        var closed = await _seed.SessionAsync(peerId: me);
        await Store.TryChangeStatusAsync(closed.Id, SessionStatus.Active, SessionStatus.Closed, CancellationToken.None);

        var active = await Store.ListByParticipantAsync(me, SessionStatus.Active, 10, null, CancellationToken.None);
        var finished = await Store.ListByParticipantAsync(me, SessionStatus.Closed, 10, null, CancellationToken.None);

        Assert.Equal([open.Id], active.Sessions.Select(s => s.Id));
        Assert.Equal([closed.Id], finished.Sessions.Select(s => s.Id));
    }

    [Fact]
    public async Task Listing_pages_by_keyset_without_gaps_or_repeats_even_when_new_sessions_arrive()
    {
        var me = await _seed.ParticipantAsync();
        var older = new List<ChatSession>();
        for (var i = 0; i < 7; i++)
        {
            older.Add(await _seed.SessionAsync(initiatorId: i % 2 == 0 ? me : null, peerId: i % 2 == 0 ? null : me));
        }

        var first = await Store.ListByParticipantAsync(me, null, 3, null, CancellationToken.None);
        await _seed.SessionAsync(initiatorId: me); // newer than every cursor: must not shift the pages that follow
        var second = await Store.ListByParticipantAsync(me, null, 3, first.NextCursor, CancellationToken.None);
        var third = await Store.ListByParticipantAsync(me, null, 3, second.NextCursor, CancellationToken.None);

        Assert.Equal(older.Select(s => s.Id).Reverse(), new[] { first, second, third }.SelectMany(p => p.Sessions).Select(s => s.Id));
        Assert.NotNull(second.NextCursor);
        Assert.Null(third.NextCursor);
    }

    [Fact]
    public async Task Sessions_created_at_the_same_instant_are_ordered_and_paged_by_id()
    {
        var me = await _seed.ParticipantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await _seed.SessionAsync(initiatorId: me)).Id);
        }

        await using (var sameInstant = database.DataSource.CreateCommand("update chat_sessions set created_at = '2030-01-01T00:00:00Z' where initiator_id = $1"))
        {
            sameInstant.Parameters.Add(new NpgsqlParameter<string> { TypedValue = me });
            await sameInstant.ExecuteNonQueryAsync();
        }

        var listed = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Store.ListByParticipantAsync(me, null, 2, cursor, CancellationToken.None);
            listed.AddRange(page.Sessions.Select(s => s.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(ids.OrderDescending(StringComparer.Ordinal), listed);
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("")]
    [InlineData("VAAAAAAAAAA")] // the time tag and a truncated time
    public async Task Listing_rejects_a_malformed_cursor(string cursor) =>
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            Store.ListByParticipantAsync("anyone", null, 10, cursor, CancellationToken.None));

    [Fact]
    public async Task Listing_rejects_a_cursor_of_the_participant_listing() =>
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            Store.ListByParticipantAsync("anyone", null, 10, KeysetCursor.FromId("p1"), CancellationToken.None));
}
