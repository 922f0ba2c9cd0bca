using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class AppendTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Concurrent_appenders_on_one_session_get_seq_1_to_n_without_gaps_or_duplicates()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            Task.Run(() => grain.AppendAsync(Messages.Text(i % 2 == 0 ? session.InitiatorId : session.PeerId, $"m{i}")))));

        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), results.Select(r => r.Message.Seq).Order());
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(64, (await grain.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task A_replayed_client_message_id_returns_the_original_message()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        var first = await grain.AppendAsync(Messages.Text(session.InitiatorId, "once", clientMessageId: "c-1"));
        await grain.AppendAsync(Messages.Text(session.PeerId, "reply"));

        var replay = await grain.AppendAsync(Messages.Text(session.InitiatorId, "different text", clientMessageId: "c-1"));

        Assert.True(first.Created);
        Assert.False(replay.Created);
        Assert.Equal(first.Message, replay.Message with { Content = first.Message.Content, Metadata = first.Message.Metadata });
        Assert.Equal("once", replay.Message.Text());
        Assert.Equal([1L, 2L], await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task A_replay_older_than_the_tail_cache_or_after_reactivation_still_returns_the_original()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:TailCacheSize"] = "4" });
        var (grain, session) = await silo.CreateSessionAsync();
        var original = await grain.AppendAsync(Messages.Text(session.InitiatorId, "old", clientMessageId: "old-1"));
        for (var i = 0; i < 10; i++)
        {
            await grain.AppendAsync(Messages.Text(session.PeerId, $"filler {i}"));
        }

        var fromDatabase = await grain.AppendAsync(Messages.Text(session.InitiatorId, "old", clientMessageId: "old-1"));
        await silo.DeactivateAsync(grain);
        Assert.False(silo.IsActive(grain));
        var afterReactivation = await grain.AppendAsync(Messages.Text(session.InitiatorId, "old", clientMessageId: "old-1"));

        Assert.Equal(original.Message.Id, fromDatabase.Message.Id);
        Assert.Equal(1, fromDatabase.Message.Seq);
        Assert.False(fromDatabase.Created);
        Assert.Equal(original.Message.Id, afterReactivation.Message.Id);
        Assert.Equal(11, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_messages where session_id = $1", session.Id));
    }

    [Fact]
    public async Task A_stale_expected_seq_is_a_conflict_that_names_the_current_seq_and_writes_nothing()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one", expectedSeq: 0));
        await grain.AppendAsync(Messages.Text(session.PeerId, "two", expectedSeq: 1));

        var conflict = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "stale", expectedSeq: 1)));

        Assert.Equal(SessionErrors.SeqConflict, conflict.Code);
        Assert.Equal("2", conflict.Details[SessionErrors.CurrentSeqDetail]);
        Assert.Equal([1L, 2L], await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(3, (await grain.AppendAsync(Messages.Text(session.InitiatorId, "fresh", expectedSeq: 2))).Message.Seq);
    }

    [Fact]
    public async Task Only_participants_may_send()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        var error = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text("stranger", "hi")));

        Assert.Equal(SessionErrors.SenderNotParticipant, error.Code);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task Content_over_the_limit_or_not_an_object_is_refused_and_writes_nothing()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:Limits:MaxContentBytes"] = "100" });
        var (grain, session) = await silo.CreateSessionAsync();

        var tooLarge = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, new string('x', 200))));
        var notObject = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(
            Messages.Text(session.InitiatorId, "x") with { Content = System.Text.Json.JsonSerializer.SerializeToElement("plain string") }));
        var badKind = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "x") with { Kind = "has space" }));
        var noContent = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "x") with { Content = default }));

        Assert.Equal(SessionErrors.ContentTooLarge, tooLarge.Code);
        Assert.Equal(SessionErrors.Validation, notObject.Code);
        Assert.Equal("content", notObject.Details["field"]);
        Assert.Equal("kind", badKind.Details["field"]);
        Assert.Equal("content", noContent.Details["field"]);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(0, (await grain.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task A_session_faulting_on_bad_input_does_not_disturb_another()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (faulty, _) = await silo.CreateSessionAsync();
        var (healthy, session) = await silo.CreateSessionAsync();

        var work = Enumerable.Range(0, 40).Select(async i =>
        {
            await Assert.ThrowsAsync<SessionException>(() => faulty.AppendAsync(Messages.Text("stranger", "x")));
            await healthy.AppendAsync(Messages.Text(session.InitiatorId, $"ok {i}"));
        });
        await Task.WhenAll(work);

        Assert.Equal(40, (await healthy.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task Sixty_concurrent_appends_to_one_session_of_a_two_silo_cluster_make_one_gapless_log()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, silos: 2);
        var (_, session) = await silo.CreateSessionAsync();

        var appends = Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            silo.Session(session.Id).AppendAsync(Messages.Text(session.InitiatorId, $"m{i}", clientMessageId: $"c{i}"))));
        var acknowledged = (await Task.WhenAll(appends)).Select(r => r.Message).ToList();

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), acknowledged.Select(m => m.Seq).Order());
    }

    [Fact]
    public async Task An_append_that_finds_the_log_extended_by_another_writer_lands_after_it_and_the_cache_catches_up()
    {
        // Orleans keeps one activation per session, but the database, not placement, fences the log: a writer the
        // grain does not know about (a second activation during a partition, simulated here by SQL) makes the
        // grain's compare-and-swap fail, and the grain must reload and append after that writer's messages.
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one"));
        await Db.AppendBehindTheGrainsBackAsync(database.ConnectionString, session.Id, session.PeerId, "elsewhere");

        var appended = await grain.AppendAsync(Messages.Text(session.InitiatorId, "three"));

        Assert.Equal(3, appended.Message.Seq);
        Assert.Equal([1L, 2L, 3L], await Db.SeqsAsync(database.ConnectionString, session.Id));
        var page = await grain.ListMessagesAsync(new MessageQuery(AfterSeq: null, BeforeSeq: null, Limit: 10));
        Assert.Equal(["one", "elsewhere", "three"], page.Messages.Select(m => m.Text()));
        Assert.Equal(3, (await grain.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task A_status_change_that_finds_the_log_extended_by_another_writer_keeps_the_next_append_whole()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one"));
        await Db.AppendBehindTheGrainsBackAsync(database.ConnectionString, session.Id, session.PeerId, "elsewhere");

        Assert.Equal(2, (await grain.ChangeStatusAsync(SessionStatus.Idle)).LastSeq);
        var appended = await grain.AppendAsync(Messages.Text(session.InitiatorId, "three"));

        Assert.Equal(3, appended.Message.Seq);
        var page = await grain.ListMessagesAsync(new MessageQuery(AfterSeq: null, BeforeSeq: null, Limit: 10));
        Assert.Equal(["one", "elsewhere", "three"], page.Messages.Select(m => m.Text()));
        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);
    }

    [Fact]
    public async Task Refusals_reach_an_orleans_caller_with_their_code_message_and_details()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "one"));

        var conflict = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "stale", expectedSeq: 0)));

        Assert.Equal(SessionErrors.SeqConflict, conflict.Code);
        Assert.Equal("Expected last_seq 0, but the session is at 1.", conflict.Message);
        Assert.Equal(1, conflict.NumericDetail(SessionErrors.CurrentSeqDetail));
    }
}
