using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class ReplyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static AppendChunkCommand Chunk(string sender, string text, int? index = null) => new(sender, text, index);

    private static async Task<SessionException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<SessionException>(call);

    [Fact]
    public async Task A_reply_grows_by_chunks_and_finishes_into_one_message_once()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync(withAgent: true);
        var agent = session.AgentId!;
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "question"));

        var reply = await grain.StartReplyAsync(new StartReplyCommand(agent, "r-1", null, null));
        Assert.Equal(ReplyStatus.Streaming, reply.Status);
        Assert.Equal(new ChunkAck("r-1", 0), await grain.AppendChunkAsync("r-1", Chunk(agent, "Hel")));
        Assert.Equal(new ChunkAck("r-1", 1), await grain.AppendChunkAsync("r-1", Chunk(agent, "lo ", 1)));
        Assert.Equal(new ChunkAck("r-1", 2), await grain.AppendChunkAsync("r-1", Chunk(agent, "world")));
        Assert.Equal(["Hel", "lo ", "world"], (await grain.ListRepliesAsync()).Single().Chunks);

        var finished = await grain.FinishReplyAsync("r-1", new FinishReplyCommand(agent, null, null));
        Assert.True(finished.Created);
        Assert.Equal(2, finished.Message.Seq);
        Assert.Equal("Hello world", finished.Message.Text());
        Assert.Equal(agent, finished.Message.SenderId);

        var again = await grain.FinishReplyAsync("r-1", new FinishReplyCommand(agent, null, null));
        Assert.False(again.Created);
        Assert.Equal(finished.Message.Id, again.Message.Id);
        var ended = Assert.Single(await grain.ListRepliesAsync());
        Assert.Equal((ReplyStatus.Completed, 2L), (ended.Status, ended.MessageSeq));
        Assert.Equal(0, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_replies where session_id = $1", session.Id));
        Assert.Equal(ErrorCode(SessionErrors.ReplyEnded), (await RefusedAsync(() => grain.AppendChunkAsync("r-1", Chunk(agent, "late")))).Code);
    }

    private static string ErrorCode(string code) => code;

    [Fact]
    public async Task Chunks_are_idempotent_by_index_and_out_of_order_or_foreign_ones_are_refused()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        var author = session.PeerId;
        var reply = await grain.StartReplyAsync(new StartReplyCommand(author, null, null, null));
        await grain.AppendChunkAsync(reply.Id, Chunk(author, "a", 0));

        Assert.Equal(new ChunkAck(reply.Id, 0), await grain.AppendChunkAsync(reply.Id, Chunk(author, "a", 0)));
        var conflict = await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(author, "b", 0)));
        Assert.Equal(SessionErrors.ChunkConflict, conflict.Code);
        var gap = await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(author, "c", 5)));
        Assert.Equal((SessionErrors.ChunkConflict, "1"), (gap.Code, gap.Details["next_index"]));
        Assert.Equal(SessionErrors.NotReplyAuthor, (await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(session.InitiatorId, "x")))).Code);
        Assert.Equal(SessionErrors.ReplyNotFound, (await RefusedAsync(() => grain.AppendChunkAsync("nope", Chunk(author, "x")))).Code);
        Assert.Equal(SessionErrors.Validation, (await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(author, "")))).Code);
        Assert.Equal(SessionErrors.SenderNotParticipant, (await RefusedAsync(() => grain.StartReplyAsync(new StartReplyCommand("stranger", null, null, null)))).Code);
        Assert.Equal(["a"], (await grain.ListRepliesAsync()).Single().Chunks);
    }

    [Fact]
    public async Task Reply_limits_are_enforced()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new()
        {
            ["Sessions:Limits:MaxChunkBytes"] = "8",
            ["Sessions:Limits:MaxChunksPerReply"] = "3",
            ["Sessions:Limits:MaxRepliesInFlight"] = "2",
        });
        var (grain, session) = await silo.CreateSessionAsync();
        var author = session.PeerId;
        var reply = await grain.StartReplyAsync(new StartReplyCommand(author, null, null, null));
        await grain.StartReplyAsync(new StartReplyCommand(author, null, null, null));
        Assert.Equal(SessionErrors.ReplyLimit, (await RefusedAsync(() => grain.StartReplyAsync(new StartReplyCommand(author, null, null, null)))).Code);

        Assert.Equal(SessionErrors.ReplyLimit, (await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(author, "123456789")))).Code);
        for (var i = 0; i < 3; i++)
        {
            await grain.AppendChunkAsync(reply.Id, Chunk(author, "12345678"));
        }

        Assert.Equal(SessionErrors.ReplyLimit, (await RefusedAsync(() => grain.AppendChunkAsync(reply.Id, Chunk(author, "1")))).Code);
    }

    [Fact]
    public async Task A_stopped_reply_ends_aborted_with_its_text_so_far_kept_as_a_message()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        var reply = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null));
        await grain.AppendChunkAsync(reply.Id, Chunk(session.PeerId, "half a tho"));
        var empty = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null));

        var stopped = await grain.StopReplyAsync(reply.Id, new StopReplyCommand(session.InitiatorId, null));
        Assert.Equal((ReplyStatus.Aborted, "stopped", 1L), (stopped.Status, stopped.EndReason, stopped.MessageSeq));
        var message = (await grain.ListMessagesAsync(new MessageQuery(0, null, 10))).Messages.Single();
        Assert.Equal("half a tho", message.Text());
        Assert.Equal("aborted", message.Metadata!.Value.GetProperty("reply").GetProperty("status").GetString());

        var emptyStopped = await grain.StopReplyAsync(empty.Id, new StopReplyCommand(session.PeerId, "changed-my-mind"));
        Assert.Equal((ReplyStatus.Aborted, "changed-my-mind", (long?)null), (emptyStopped.Status, emptyStopped.EndReason, emptyStopped.MessageSeq));
        Assert.Equal(1, (await grain.GetAsync()).LastSeq);
        Assert.Equal(stopped, await grain.StopReplyAsync(reply.Id, new StopReplyCommand(session.InitiatorId, null)));
    }

    [Fact]
    public async Task A_reply_without_chunks_for_the_idle_timeout_is_ended_as_abandoned()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();
        var reply = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null));
        clock.Advance(TimeSpan.FromSeconds(5));
        await grain.AppendChunkAsync(reply.Id, Chunk(session.PeerId, "and then"));

        // Housekeeping runs every second (the default): 30 s after the last chunk (the default timeout) it still streams...
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ReplyStatus.Streaming, (await grain.ListRepliesAsync()).Single(r => r.Id == reply.Id).Status);

        // ...and the tick after that ends it.
        clock.Advance(TimeSpan.FromSeconds(1));
        var ended = await WaitForAsync(async () => (await grain.ListRepliesAsync()).SingleOrDefault(r => r.Id == reply.Id && r.Status != ReplyStatus.Streaming));
        Assert.Equal((ReplyStatus.Aborted, "abandoned"), (ended.Status, ended.EndReason));
        Assert.Equal(clock.GetUtcNow(), ended.EndedAt);
        Assert.Equal("and then", (await grain.ListMessagesAsync(new MessageQuery(0, null, 10))).Messages.Single().Text());
    }

    [Fact]
    public async Task A_reply_whose_activation_was_lost_is_ended_on_the_next_activation_with_its_checkpointed_text()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();
        var reply = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, "r-lost", null, null));
        await grain.AppendChunkAsync(reply.Id, Chunk(session.PeerId, "saved "));
        await grain.AppendChunkAsync(reply.Id, Chunk(session.PeerId, "text"));
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitForAsync(async () => await CheckpointedTextAsync(session.Id, "r-lost") == "saved text" ? "ok" : null);

        // A lost silo: the activation is gone without running its deactivation (its row is all that is left).
        // Simulated by copying the row back after a graceful deactivation removed it.
        await silo.DeactivateAsync(grain);
        await ExecuteAsync("delete from chat_messages where session_id = $1", session.Id);
        await ExecuteAsync("update chat_sessions set last_seq = 0, last_message_id = null where id = $1", session.Id);
        await ExecuteAsync(
            "insert into chat_replies (session_id, reply_id, sender_id, kind, text, chunk_count) values ($1, 'r-lost', $2, 'text', 'saved text', 2)",
            session.Id,
            session.PeerId);

        var ended = (await grain.ListRepliesAsync()).Single(r => r.Id == "r-lost");
        Assert.Equal((ReplyStatus.Aborted, "interrupted", 1L), (ended.Status, ended.EndReason, ended.MessageSeq));
        var message = (await grain.ListMessagesAsync(new MessageQuery(0, null, 10))).Messages.Single();
        Assert.Equal("saved text", message.Text());
        Assert.Equal(0, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_replies where session_id = $1", session.Id));
    }

    [Fact]
    public async Task Closing_the_session_ends_replies_in_flight()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        var reply = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null));
        await grain.AppendChunkAsync(reply.Id, Chunk(session.PeerId, "never finished"));

        await grain.ChangeStatusAsync(SessionStatus.Closed);

        var ended = (await grain.ListRepliesAsync()).Single();
        Assert.Equal((ReplyStatus.Aborted, "session-closed"), (ended.Status, ended.EndReason));
        Assert.Equal(SessionErrors.SessionNotWritable, (await RefusedAsync(() => grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null)))).Code);
    }

    private async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<string?> CheckpointedTextAsync(string sessionId, string replyId)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select text from chat_replies where session_id = $1 and reply_id = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sessionId });
        command.Parameters.Add(new NpgsqlParameter { Value = replyId });
        return await command.ExecuteScalarAsync() as string;
    }

    internal static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 15 s.");
            await Task.Delay(50);
        }
    }
}
