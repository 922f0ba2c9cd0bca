using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sessions.Storage;
using Sessions.Storage.Participants;
using Sessions.Storage.Replies;
using Sessions.Storage.Sessions;

namespace Sessions.Grains.Tests;

/// <summary>
/// The replies collaborator on its own: a fake session (in memory) and the real <c>chat_replies</c> table, whose rows
/// need a session and participants to point at.
/// </summary>
public sealed class StreamedRepliesTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private NpgsqlDataSource _dataSource = null!;
    private string _sessionId = "";
    private string _author = "";
    private string _other = "";

    public async Task InitializeAsync()
    {
        _dataSource = SessionsDataSource.Create(database.ConnectionString);
        var prefix = Guid.NewGuid().ToString("N")[..8];
        var participants = new ParticipantStore(_dataSource);
        _author = $"{prefix}-agent";
        _other = $"{prefix}-alice";
        await participants.TryInsertAsync(_author, ParticipantKind.Agent, null, null, CancellationToken.None);
        await participants.TryInsertAsync(_other, ParticipantKind.Human, null, null, CancellationToken.None);
        _sessionId = $"s-{prefix}";
        await new SessionStore(_dataSource).TryInsertAsync(_sessionId, new CreateSessionCommand(_other, _author, null, "chat", null, null), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private (StreamedReplies Replies, FakeReplySession Session) NewReplies(LimitsOptions? limits = null)
    {
        var session = new FakeReplySession(_sessionId, _clock);
        return (new StreamedReplies(session, new ReplyStore(_dataSource), limits ?? new LimitsOptions(), IdleTimeout, _clock, NullLogger.Instance), session);
    }

    private AppendChunkCommand Chunk(string text, int? index = null) => new(_author, text, index);

    private Task<long> RowsAsync() => Db.CountAsync(database.ConnectionString, "select count(*) from chat_replies where session_id = $1", _sessionId);

    [Fact]
    public async Task A_reply_streams_as_events_and_finishes_into_one_message_appended_through_the_session()
    {
        var (replies, session) = NewReplies();
        session.Log.Add(new ChatMessage("m-1", _sessionId, 1, _other, "text", Messages.Text(_other, "question").Content, null, null, _clock.GetUtcNow()));

        var started = await replies.StartAsync(new StartReplyCommand(_author, "r-1", null, null));
        Assert.Equal((ReplyStatus.Streaming, "text", _clock.GetUtcNow()), (started.Status, started.Kind, started.StartedAt));
        Assert.True(replies.AnyInFlight);
        Assert.Equal(1, await RowsAsync());
        Assert.Equal(new ChunkAck("r-1", 0), replies.AppendChunk("r-1", Chunk("Hello ")));
        Assert.Equal(new ChunkAck("r-1", 1), replies.AppendChunk("r-1", Chunk("world", 1)));

        var finished = await replies.FinishAsync("r-1", new FinishReplyCommand(_author, null, null));

        Assert.Equal((2L, "Hello world", "reply:r-1", true), (finished.Message.Seq, finished.Message.Text(), finished.Message.ClientMessageId, finished.Created));
        Assert.Equal([SessionEventKind.ReplyStarted, SessionEventKind.ReplyChunk, SessionEventKind.ReplyChunk, SessionEventKind.ReplyEnded], session.EventKinds);
        Assert.Equal([(1L, 0), (1L, 1), (2L, 2)], session.Events.Skip(1).Select(e => (e.Seq, e.ChunkIndex)));
        Assert.False(replies.AnyInFlight);
        Assert.Equal(0, await RowsAsync());
        var ended = Assert.Single(replies.List());
        Assert.Equal((ReplyStatus.Completed, 2L), (ended.Status, ended.MessageSeq));
        Assert.Equal(["Hello ", "world"], ended.Chunks);

        // Finishing again (the answer got lost) finds the message it ended in.
        var again = await replies.FinishAsync("r-1", new FinishReplyCommand(_author, null, null));
        Assert.Equal((finished.Message, false), (again.Message, again.Created));
        Assert.Equal(SessionErrors.ReplyEnded, Assert.Throws<SessionException>(() => replies.AppendChunk("r-1", Chunk("late"))).Code);
    }

    [Fact]
    public async Task Starting_again_with_the_same_id_answers_the_same_reply_and_the_in_flight_limit_holds()
    {
        var (replies, _) = NewReplies(new LimitsOptions { MaxRepliesInFlight = 2 });
        var first = await replies.StartAsync(new StartReplyCommand(_author, "r-1", null, null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var again = await replies.StartAsync(new StartReplyCommand(_author, "r-1", null, null));
        Assert.Equal((first.Id, first.StartedAt, ReplyStatus.Streaming), (again.Id, again.StartedAt, again.Status));
        Assert.Equal("reply_id", Assert.Single((await Assert.ThrowsAsync<SessionException>(() => replies.StartAsync(new StartReplyCommand(_other, "r-1", null, null)))).Fields.Keys));

        await replies.StartAsync(new StartReplyCommand(_author, null, null, null));
        Assert.Equal(SessionErrors.ReplyLimit, (await Assert.ThrowsAsync<SessionException>(() => replies.StartAsync(new StartReplyCommand(_author, null, null, null)))).Code);
        Assert.Equal(2, replies.List().Count);
    }

    [Fact]
    public async Task A_stopped_reply_keeps_its_text_only_while_the_session_takes_messages()
    {
        var (replies, session) = NewReplies();
        await replies.StartAsync(new StartReplyCommand(_author, "kept", null, null));
        replies.AppendChunk("kept", Chunk("half"));
        await replies.StartAsync(new StartReplyCommand(_author, "lost", null, null));
        replies.AppendChunk("lost", Chunk("half"));

        var kept = await replies.StopAsync("kept", null);
        Assert.Equal((ReplyStatus.Aborted, "stopped", 1L), (kept.Status, kept.EndReason, kept.MessageSeq));
        Assert.Equal("aborted", session.Log.Single().Metadata!.Value.GetProperty("reply").GetProperty("status").GetString());

        session.AcceptsMessages = false;
        var lost = await replies.StopAsync("lost", "changed-my-mind");
        Assert.Equal((ReplyStatus.Aborted, "changed-my-mind", (long?)null), (lost.Status, lost.EndReason, lost.MessageSeq));
        Assert.Single(session.Log);
        Assert.Equal(kept, await replies.StopAsync("kept", "again"));
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task Tending_checkpoints_grown_replies_and_ends_those_silent_past_the_timeout()
    {
        var (replies, session) = NewReplies();
        await replies.StartAsync(new StartReplyCommand(_author, "quiet", null, null));
        replies.AppendChunk("quiet", Chunk("so far"));
        _clock.Advance(TimeSpan.FromSeconds(10));
        await replies.StartAsync(new StartReplyCommand(_author, "busy", null, null));

        await replies.TendAsync();
        Assert.Equal("so far", await Db.ScalarTextAsync(database.ConnectionString, "select text from chat_replies where session_id = $1 and reply_id = 'quiet'", _sessionId));

        _clock.Advance(IdleTimeout - TimeSpan.FromSeconds(10));
        await replies.TendAsync();
        Assert.Equal(2, replies.List().Count(r => r.Status == ReplyStatus.Streaming));

        _clock.Advance(TimeSpan.FromTicks(1));
        await replies.TendAsync();
        var abandoned = replies.List().Single(r => r.Id == "quiet");
        Assert.Equal((ReplyStatus.Aborted, "abandoned", _clock.GetUtcNow()), (abandoned.Status, abandoned.EndReason, abandoned.EndedAt));
        Assert.Equal("so far", session.Log.Single().Text());
        Assert.True(replies.AnyInFlight);
    }

    [Fact]
    public async Task Ending_all_leaves_no_message_and_interrupting_all_keeps_what_it_can()
    {
        var (replies, session) = NewReplies();
        await replies.StartAsync(new StartReplyCommand(_author, "a", null, null));
        replies.AppendChunk("a", Chunk("text"));
        await replies.EndAllAsync("session-closed");
        Assert.Equal((ReplyStatus.Aborted, "session-closed"), (replies.List().Single().Status, replies.List().Single().EndReason));
        Assert.Empty(session.Log);

        await replies.StartAsync(new StartReplyCommand(_author, "b", null, null));
        replies.AppendChunk("b", Chunk("kept"));
        await replies.InterruptAllAsync();
        Assert.Equal(("kept", "reply:b"), (session.Log.Single().Text(), session.Log.Single().ClientMessageId));

        // A reply whose text cannot be kept now stays in flight; its row is what the next activation ends it from.
        await replies.StartAsync(new StartReplyCommand(_author, "d", null, null));
        replies.AppendChunk("d", Chunk("lost"));
        session.AppendFailure = new SessionException(SessionErrors.SessionNotWritable, "closed");
        await replies.InterruptAllAsync();
        Assert.Equal(["d"], replies.List().Where(r => r.Status == ReplyStatus.Streaming).Select(r => r.Id));
        Assert.Equal(1, await RowsAsync());
    }

    [Fact]
    public async Task Orphans_from_a_lost_activation_end_with_their_message_or_their_checkpointed_text()
    {
        var store = new ReplyStore(_dataSource);
        var startedAt = _clock.GetUtcNow().AddMinutes(-1);
        await store.TryInsertAsync(new StoredReply(_sessionId, "finished", _author, "text", null, "", 0, startedAt), CancellationToken.None);
        await store.TryInsertAsync(new StoredReply(_sessionId, "saved", _author, "text", null, "", 0, startedAt.AddSeconds(1)), CancellationToken.None);
        await store.CheckpointAsync(_sessionId, [("saved", "checkpointed", 1)], CancellationToken.None);
        await store.TryInsertAsync(new StoredReply(_sessionId, "empty", _author, "text", null, "", 0, startedAt.AddSeconds(2)), CancellationToken.None);
        var (replies, session) = NewReplies();
        var finished = (await session.AppendAsync(Messages.Text(_author, "done", "reply:finished"))).Message;

        await replies.EndOrphansAsync();

        var ended = replies.List().ToDictionary(r => r.Id);
        Assert.Equal((ReplyStatus.Completed, finished.Seq), (ended["finished"].Status, ended["finished"].MessageSeq));
        Assert.Equal((ReplyStatus.Aborted, "interrupted", 2L), (ended["saved"].Status, ended["saved"].EndReason, ended["saved"].MessageSeq));
        Assert.Equal("checkpointed", session.Log[1].Text());
        Assert.Equal((ReplyStatus.Aborted, "interrupted", (long?)null), (ended["empty"].Status, ended["empty"].EndReason, ended["empty"].MessageSeq));
        Assert.Equal(2, session.Log.Count);
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task The_eight_most_recently_ended_replies_are_kept()
    {
        var (replies, _) = NewReplies();
        for (var i = 0; i < 10; i++)
        {
            await replies.StartAsync(new StartReplyCommand(_author, $"r-{i}", null, null));
            await replies.StopAsync($"r-{i}", null);
        }

        Assert.Equal([.. Enumerable.Range(2, 8).Reverse().Select(i => $"r-{i}")], replies.List().Select(r => r.Id));
        Assert.Equal(SessionErrors.ReplyNotFound, (await Assert.ThrowsAsync<SessionException>(() => replies.StopAsync("r-1", null))).Code);
    }
}
