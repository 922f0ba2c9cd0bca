using Sessions.Abstractions;
using Sessions.Actors;

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
        await Eventually.TrueAsync(() => silo.Statistics.CollectIdleActivations() >= 0 && silo.Statistics.ActivationCount == 0, "the session deactivates");
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

        var conflict = await Assert.ThrowsAsync<GrainException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "stale", expectedSeq: 1)));

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

        var error = await Assert.ThrowsAsync<GrainException>(() => grain.AppendAsync(Messages.Text("stranger", "hi")));

        Assert.Equal(SessionErrors.SenderNotParticipant, error.Code);
        Assert.Empty(await Db.SeqsAsync(database.ConnectionString, session.Id));
    }

    [Fact]
    public async Task Content_over_the_limit_or_not_an_object_is_refused_and_writes_nothing()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:Limits:MaxContentBytes"] = "100" });
        var (grain, session) = await silo.CreateSessionAsync();

        var tooLarge = await Assert.ThrowsAsync<GrainException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, new string('x', 200))));
        var notObject = await Assert.ThrowsAsync<GrainException>(() => grain.AppendAsync(
            Messages.Text(session.InitiatorId, "x") with { Content = System.Text.Json.JsonSerializer.SerializeToElement("plain string") }));
        var badKind = await Assert.ThrowsAsync<GrainException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "x") with { Kind = "has space" }));

        Assert.Equal(SessionErrors.ContentTooLarge, tooLarge.Code);
        Assert.Equal(SessionErrors.Validation, notObject.Code);
        Assert.Equal("content", notObject.Details["field"]);
        Assert.Equal("kind", badKind.Details["field"]);
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
            await Assert.ThrowsAsync<GrainException>(() => faulty.AppendAsync(Messages.Text("stranger", "x")));
            await healthy.AppendAsync(Messages.Text(session.InitiatorId, $"ok {i}"));
        });
        await Task.WhenAll(work);

        Assert.Equal(40, (await healthy.GetAsync()).LastSeq);
    }

    [Fact]
    public async Task Two_silos_writing_one_session_at_once_stay_gapless_because_the_database_fences_appends()
    {
        // Two silos over one database may both activate a session during a membership change; the compare-and-swap
        // on last_seq must keep the log whole, and with the default attempts no append may give up: one that lost a
        // race retries at the log's end, which cannot lose.
        await using var first = await ChatSilo.StartAsync(database.ConnectionString);
        await using var second = await ChatSilo.StartAsync(database.ConnectionString);
        var (_, session) = await first.CreateSessionAsync();

        var appends = Enumerable.Range(0, 60).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).Session(session.Id).AppendAsync(Messages.Text(session.InitiatorId, $"m{i}", clientMessageId: $"c{i}"))));
        var acknowledged = (await Task.WhenAll(appends)).Select(r => r.Message).ToList();

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), await Db.SeqsAsync(database.ConnectionString, session.Id));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), acknowledged.Select(m => m.Seq).Order());
    }

    [Fact]
    public async Task An_activation_that_loaded_before_another_silos_appends_shows_them_once_told_to_catch_up()
    {
        // The owner keeps its activation (and its cache) for the whole test.
        await using var owner = await ChatSilo.StartAsync(database.ConnectionString, collectionAge: TimeSpan.FromHours(1));
        await using var stale = await ChatSilo.StartAsync(database.ConnectionString);
        var (_, session) = await owner.CreateSessionAsync();
        var query = new MessageQuery(AfterSeq: null, BeforeSeq: null, Limit: 50);
        Assert.Empty((await owner.Session(session.Id).ListMessagesAsync(query)).Messages);

        // Another activation of the session, as on a silo with a stale view, appends what the owner's cache has not seen.
        for (var i = 0; i < 3; i++)
        {
            await stale.Session(session.Id).AppendAsync(Messages.Text(session.InitiatorId, $"elsewhere {i}"));
        }

        Assert.Empty((await owner.Session(session.Id).ListMessagesAsync(query)).Messages);

        await owner.Session(session.Id).CatchUpAsync(3);

        Assert.Equal([1L, 2, 3], (await owner.Session(session.Id).ListMessagesAsync(query)).Messages.Select(m => m.Seq));
        Assert.Equal(3, (await owner.Session(session.Id).GetAsync()).LastSeq);
        await owner.Session(session.Id).CatchUpAsync(2);
        Assert.Equal(4, (await owner.Session(session.Id).AppendAsync(Messages.Text(session.PeerId, "next"))).Message.Seq);
    }
}
