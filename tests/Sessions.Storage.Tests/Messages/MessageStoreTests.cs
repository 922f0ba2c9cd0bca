using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Messages;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Messages;

public sealed class MessageStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private MessageStore Store => _seed.Messages;

    [Fact]
    public async Task Appends_take_gapless_seqs_from_one()
    {
        var session = await _seed.SessionWithMessagesAsync(5);

        var log = await Store.ReadForwardAsync(session.Id, 0, 100, CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4, 5], log.Select(m => m.Seq));
        Assert.Equal([1, 2, 3, 4, 5], log.Select(m => m.Content.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task An_append_returns_what_the_database_stored_and_moves_the_session_head()
    {
        var session = await _seed.SessionAsync();
        var message = Seed.Message(session, "client-1", content: """{ "text": "hi",  "at": [3, 2] }""") with { Metadata = Seed.Json("""{"z":0,"y":1}""") };

        var appended = Assert.IsType<AppendOutcome.Appended>(await Store.TryAppendAsync(message, 0, CancellationToken.None)).Message;

        Assert.Equal((message.Id.ToString(), session.Id, 1L, session.InitiatorId, "text", "client-1"),
            (appended.Id, appended.SessionId, appended.Seq, appended.SenderId, appended.Kind, appended.ClientMessageId));
        Assert.Equal("""{"at": [3, 2], "text": "hi"}""", appended.Content.GetRawText());
        Assert.Equal("""{"y": 1, "z": 0}""", appended.Metadata?.GetRawText());

        var stored = Assert.Single(await Store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None));
        Assert.Equal(appended.Content.GetRawText(), stored.Content.GetRawText());
        Assert.Equal(appended.Metadata?.GetRawText(), stored.Metadata?.GetRawText());
        Assert.Equal(appended.CreatedAt, stored.CreatedAt);

        var head = await _seed.Sessions.GetAsync(session.Id, CancellationToken.None);
        Assert.Equal((1L, appended.Id, appended.CreatedAt), (head!.LastSeq, head.LastMessageId, head.LastMessageAt));
        Assert.Equal(appended.CreatedAt, head.UpdatedAt);
    }

    [Theory]
    [InlineData("\"just a string\"")]
    [InlineData("[1, \"two\", null]")]
    [InlineData("42")]
    [InlineData("null")]
    public async Task Any_json_value_is_valid_content(string content)
    {
        var session = await _seed.SessionAsync();

        var appended = Assert.IsType<AppendOutcome.Appended>(
            await Store.TryAppendAsync(Seed.Message(session, content: content), 0, CancellationToken.None)).Message;

        Assert.Equal(content, appended.Content.GetRawText());
        Assert.Null(appended.Metadata);
        Assert.Equal(content, (await Store.ReadForwardAsync(session.Id, 0, 1, CancellationToken.None))[0].Content.GetRawText());
    }

    [Fact]
    public async Task An_append_at_a_stale_seq_is_SeqTaken_and_writes_nothing()
    {
        var session = await _seed.SessionWithMessagesAsync(2);

        var outcome = await Store.TryAppendAsync(Seed.Message(session), expectedLastSeq: 1, CancellationToken.None);

        Assert.IsType<AppendOutcome.SeqTaken>(outcome);
        Assert.Equal(2, (await Store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None)).Count);
        Assert.Equal(2, (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq);
    }

    [Fact]
    public async Task An_append_to_an_unknown_session_is_SeqTaken() =>
        Assert.IsType<AppendOutcome.SeqTaken>(await Store.TryAppendAsync(
            new NewMessage(Guid.CreateVersion7(), Seed.NewId("none"), "anyone", "text", Seed.Json("{}"), null, null), 0, CancellationToken.None));

    [Fact]
    public async Task A_repeated_client_message_id_is_DuplicateClientMessageId_and_writes_nothing()
    {
        var session = await _seed.SessionAsync();
        var original = Assert.IsType<AppendOutcome.Appended>(
            await Store.TryAppendAsync(Seed.Message(session, "retry-me"), 0, CancellationToken.None)).Message;
        var head = await _seed.Sessions.GetAsync(session.Id, CancellationToken.None);

        var outcome = await Store.TryAppendAsync(Seed.Message(session, "retry-me", """{"text":"again"}"""), 1, CancellationToken.None);

        Assert.IsType<AppendOutcome.DuplicateClientMessageId>(outcome);
        Assert.Equal([original.Id], (await Store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None)).Select(m => m.Id));
        var after = await _seed.Sessions.GetAsync(session.Id, CancellationToken.None);
        Assert.Equal((head!.LastSeq, head.LastMessageId, head.UpdatedAt), (after!.LastSeq, after.LastMessageId, after.UpdatedAt));
    }

    [Fact]
    public async Task The_same_client_message_id_may_be_used_in_different_sessions()
    {
        var (one, two) = (await _seed.SessionAsync(), await _seed.SessionAsync());

        Assert.IsType<AppendOutcome.Appended>(await Store.TryAppendAsync(Seed.Message(one, "shared"), 0, CancellationToken.None));
        Assert.IsType<AppendOutcome.Appended>(await Store.TryAppendAsync(Seed.Message(two, "shared"), 0, CancellationToken.None));
    }

    [Fact]
    public async Task Messages_without_a_client_message_id_never_collide()
    {
        var session = await _seed.SessionAsync();

        Assert.IsType<AppendOutcome.Appended>(await Store.TryAppendAsync(Seed.Message(session), 0, CancellationToken.None));
        Assert.IsType<AppendOutcome.Appended>(await Store.TryAppendAsync(Seed.Message(session), 1, CancellationToken.None));
    }

    [Fact]
    public async Task Of_writers_racing_for_the_same_seq_exactly_one_commits()
    {
        var session = await _seed.SessionAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => Store.TryAppendAsync(Seed.Message(session), 0, CancellationToken.None))));

        Assert.Single(outcomes, o => o is AppendOutcome.Appended);
        Assert.Equal(7, outcomes.Count(o => o is AppendOutcome.SeqTaken));
        Assert.Single(await Store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Writers_that_reload_and_retry_after_SeqTaken_build_one_gapless_log()
    {
        var session = await _seed.SessionAsync();

        // Four writers with no coordination but the database, like two activations of a session in a partition.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var sent = 0; sent < 10;)
            {
                var head = (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq;
                var message = Seed.Message(session, $"w{writer}-{sent}");
                if (await Store.TryAppendAsync(message, head, CancellationToken.None) is AppendOutcome.Appended)
                {
                    sent++;
                }
            }
        })));

        var log = await Store.ReadForwardAsync(session.Id, 0, 100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), log.Select(m => m.Seq));
        Assert.Equal(40, log.Select(m => m.ClientMessageId).Distinct().Count());
        Assert.Equal(40, (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq);
    }

    [Fact]
    public async Task Finding_by_client_message_id_returns_the_original_message_or_null()
    {
        var session = await _seed.SessionAsync();
        var original = Assert.IsType<AppendOutcome.Appended>(
            await Store.TryAppendAsync(Seed.Message(session, "abc"), 0, CancellationToken.None)).Message;

        var found = await Store.FindByClientMessageIdAsync(session.Id, "abc", CancellationToken.None);

        Assert.Equal((original.Id, original.Seq, original.CreatedAt), (found!.Id, found.Seq, found.CreatedAt));
        Assert.Null(await Store.FindByClientMessageIdAsync(session.Id, "other", CancellationToken.None));
        Assert.Null(await Store.FindByClientMessageIdAsync(Seed.NewId("s"), "abc", CancellationToken.None));
    }

    [Fact]
    public async Task Reading_forward_pages_ascending_after_a_seq()
    {
        var session = await _seed.SessionWithMessagesAsync(7);

        var pages = new List<IReadOnlyList<ChatMessage>>();
        foreach (var after in new[] { 0L, 3, 6, 7 })
        {
            pages.Add(await Store.ReadForwardAsync(session.Id, after, 3, CancellationToken.None));
        }

        Assert.Equal([1L, 2, 3], pages[0].Select(m => m.Seq));
        Assert.Equal([4L, 5, 6], pages[1].Select(m => m.Seq));
        Assert.Equal([7L], pages[2].Select(m => m.Seq));
        Assert.Empty(pages[3]);
    }

    [Fact]
    public async Task Reading_backward_returns_the_newest_before_a_seq_in_ascending_order()
    {
        var session = await _seed.SessionWithMessagesAsync(7);

        var tail = await Store.ReadBackwardAsync(session.Id, long.MaxValue, 3, CancellationToken.None);
        var before = await Store.ReadBackwardAsync(session.Id, tail[0].Seq, 3, CancellationToken.None);
        var first = await Store.ReadBackwardAsync(session.Id, before[0].Seq, 3, CancellationToken.None);
        var none = await Store.ReadBackwardAsync(session.Id, 1, 3, CancellationToken.None);

        Assert.Equal([5L, 6, 7], tail.Select(m => m.Seq));
        Assert.Equal([2L, 3, 4], before.Select(m => m.Seq));
        Assert.Equal([1L], first.Select(m => m.Seq));
        Assert.Empty(none);
    }

    [Fact]
    public async Task Reading_another_sessions_log_sees_none_of_these_messages()
    {
        var (busy, quiet) = (await _seed.SessionWithMessagesAsync(3), await _seed.SessionAsync());

        Assert.Empty(await Store.ReadForwardAsync(quiet.Id, 0, 10, CancellationToken.None));
        Assert.Empty(await Store.ReadBackwardAsync(quiet.Id, long.MaxValue, 10, CancellationToken.None));
        Assert.Equal(3, (await Store.ReadForwardAsync(busy.Id, 0, 10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task A_message_id_used_twice_is_a_caller_error_not_an_outcome()
    {
        var session = await _seed.SessionAsync();
        var message = Seed.Message(session);
        await Store.TryAppendAsync(message, 0, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PostgresException>(() => Store.TryAppendAsync(message, 1, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal(1, (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq);
    }
}
