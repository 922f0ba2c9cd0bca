using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Messages;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Messages;

/// <summary>
/// Group commit through <see cref="MessageStore.TryAppendAsync"/>. Where a test needs a known batch, it holds the
/// batcher, queues the appends, and releases them into one statement.
/// </summary>
public sealed class AppendBatcherTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private readonly MessageStore _store = new(database.DataSource);

    [Fact]
    public async Task Many_concurrent_appends_to_many_sessions_land_with_gapless_seqs()
    {
        var (alice, bob) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync());
        var sessions = new List<ChatSession>();
        for (var i = 0; i < 100; i++)
        {
            sessions.Add(await _seed.SessionAsync(alice, bob));
        }

        // One writer per session appending in turn, like its grain; all sessions at once.
        await Task.WhenAll(sessions.Select(session => Task.Run(async () =>
        {
            for (var seq = 0; seq < 10; seq++)
            {
                var outcome = await _store.TryAppendAsync(Seed.Message(session, $"c{seq}", $$"""{"n":{{seq + 1}}}"""), seq, CancellationToken.None);
                Assert.Equal(seq + 1, Assert.IsType<AppendOutcome.Appended>(outcome).Message.Seq);
            }
        })));

        foreach (var session in sessions)
        {
            var log = await _store.ReadForwardAsync(session.Id, 0, 100, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), log.Select(m => m.Seq));
            Assert.Equal(Enumerable.Range(1, 10), log.Select(m => m.Content.GetProperty("n").GetInt32()));
            Assert.Equal((10L, log[^1].Id), await HeadAsync(session));
        }

        Assert.True(_store.Appends.BatchesSent < 1000, $"{_store.Appends.BatchesSent} statements for 1000 appends: nothing was batched.");
        Assert.Equal(0, _store.Appends.BatchesReplayed);
    }

    [Fact]
    public async Task An_append_that_finds_a_free_slot_is_sent_at_once_alone()
    {
        var session = await _seed.SessionAsync();

        var pending = _store.TryAppendAsync(Seed.Message(session), 0, CancellationToken.None);

        Assert.Equal(0, _store.Appends.QueuedCount);
        Assert.IsType<AppendOutcome.Appended>(await pending);
        Assert.Equal(1, _store.Appends.BatchesSent);
    }

    [Fact]
    public async Task A_duplicate_client_message_id_fails_only_its_own_append_and_the_rest_of_the_batch_commits()
    {
        var repeated = await _seed.SessionAsync();
        var original = Assert.IsType<AppendOutcome.Appended>(
            await _store.TryAppendAsync(Seed.Message(repeated, "once"), 0, CancellationToken.None)).Message;
        var others = await SessionsAsync(5);

        var outcomes = await InOneBatchAsync([(Seed.Message(repeated, "once"), 1), .. others.Select(s => (Seed.Message(s, "once"), 0L))]);

        Assert.IsType<AppendOutcome.DuplicateClientMessageId>(outcomes[0]);
        Assert.All(outcomes[1..], o => Assert.Equal(1, Assert.IsType<AppendOutcome.Appended>(o).Message.Seq));
        Assert.Equal(1, _store.Appends.BatchesReplayed);
        Assert.Equal([original.Id], (await _store.ReadForwardAsync(repeated.Id, 0, 10, CancellationToken.None)).Select(m => m.Id));
        Assert.Equal((1L, original.Id), await HeadAsync(repeated));
        foreach (var (session, outcome) in others.Zip(outcomes[1..]))
        {
            Assert.Equal((1L, ((AppendOutcome.Appended)outcome).Message.Id), await HeadAsync(session));
        }
    }

    [Fact]
    public async Task A_batch_rejected_for_one_bad_row_fails_only_that_caller()
    {
        var (good, bad) = (await _seed.SessionAsync(), await _seed.SessionAsync());
        var unknownSender = Seed.Message(bad) with { SenderId = Seed.NewId("nobody") };

        var outcomes = await Task.WhenAll(StartOneBatch([(Seed.Message(good), 0), (unknownSender, 0)]).Select(Settle));

        Assert.IsType<AppendOutcome.Appended>(outcomes[0].Outcome);
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, Assert.IsType<PostgresException>(outcomes[1].Error).SqlState);
        Assert.Equal(1, _store.Appends.BatchesReplayed);
        Assert.Equal(0, (await HeadAsync(bad)).LastSeq);
        Assert.Equal(1, (await HeadAsync(good)).LastSeq);
    }

    [Fact]
    public async Task Two_appends_for_one_session_at_the_same_seq_in_one_batch_commit_exactly_one_row()
    {
        var (contested, other) = (await _seed.SessionAsync(), await _seed.SessionAsync());
        var (first, second) = (Seed.Message(contested, "a"), Seed.Message(contested, "b"));

        var outcomes = await InOneBatchAsync([(first, 0), (Seed.Message(other), 0), (second, 0)]);

        var winner = Assert.Single(new[] { outcomes[0], outcomes[2] }.OfType<AppendOutcome.Appended>()).Message;
        Assert.Single(new[] { outcomes[0], outcomes[2] }, o => o is AppendOutcome.SeqTaken);
        Assert.IsType<AppendOutcome.Appended>(outcomes[1]);
        var stored = Assert.Single(await _store.ReadForwardAsync(contested.Id, 0, 10, CancellationToken.None));
        Assert.Equal((winner.Id, 1L, winner.ClientMessageId), (stored.Id, stored.Seq, stored.ClientMessageId));
        Assert.Equal((1L, winner.Id), await HeadAsync(contested));
        Assert.Equal(0, _store.Appends.BatchesReplayed);
    }

    [Fact]
    public async Task Two_appends_for_one_session_at_consecutive_seqs_in_one_batch_commit_only_the_one_at_the_head()
    {
        var session = await _seed.SessionAsync();
        var (atHead, next) = (Seed.Message(session), Seed.Message(session));

        var outcomes = await InOneBatchAsync([(next, 1), (atHead, 0)]);

        // The compare-and-swap sees the head as it was before the statement: 'next' must reload and retry.
        Assert.IsType<AppendOutcome.SeqTaken>(outcomes[0]);
        Assert.Equal(atHead.Id.ToString(), Assert.IsType<AppendOutcome.Appended>(outcomes[1]).Message.Id);
        Assert.Equal([1L], (await _store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None)).Select(m => m.Seq));
    }

    [Fact]
    public async Task Stale_seqs_and_unknown_sessions_in_a_batch_are_SeqTaken_and_write_nothing()
    {
        var (stale, fresh) = (await _seed.SessionWithMessagesAsync(2), await _seed.SessionAsync());
        var unknown = new NewMessage(Guid.CreateVersion7(), Seed.NewId("none"), "anyone", "text", Seed.Json("{}"), null, null);

        var outcomes = await InOneBatchAsync([(unknown, 0), (Seed.Message(stale), 1), (Seed.Message(fresh), 0)]);

        Assert.IsType<AppendOutcome.SeqTaken>(outcomes[0]);
        Assert.IsType<AppendOutcome.SeqTaken>(outcomes[1]);
        Assert.IsType<AppendOutcome.Appended>(outcomes[2]);
        Assert.Equal(2, (await _store.ReadForwardAsync(stale.Id, 0, 10, CancellationToken.None)).Count);
        Assert.Equal(2, (await HeadAsync(stale)).LastSeq);
    }

    [Fact]
    public async Task Content_and_metadata_come_back_from_a_batch_as_the_stored_jsonb_text()
    {
        string[] contents = ["""{ "text": "hi",  "at": [3, 2] }""", "\"just a string\"", "[1, \"two\", null]", "42", "null", """{"emoji":"😀","nested":{"b":1,"a":2}}"""];
        var sessions = await SessionsAsync(contents.Length);
        var messages = sessions.Select((s, i) => Seed.Message(s, $"c{i}", contents[i]) with { Metadata = i % 2 == 0 ? Seed.Json("""{"z":0, "y":1}""") : null }).ToList();

        var outcomes = await InOneBatchAsync(messages.Select(m => (m, 0L)).ToArray());

        var appended = outcomes.Select(o => Assert.IsType<AppendOutcome.Appended>(o).Message).ToList();
        Assert.Equal(
            ["""{"at": [3, 2], "text": "hi"}""", "\"just a string\"", "[1, \"two\", null]", "42", "null", """{"emoji": "😀", "nested": {"a": 2, "b": 1}}"""],
            appended.Select(m => m.Content.GetRawText()));
        Assert.Equal(["""{"y": 1, "z": 0}""", null, """{"y": 1, "z": 0}""", null, """{"y": 1, "z": 0}""", null], appended.Select(m => m.Metadata?.GetRawText()));
        for (var i = 0; i < messages.Count; i++)
        {
            var stored = Assert.Single(await _store.ReadForwardAsync(sessions[i].Id, 0, 10, CancellationToken.None));
            Assert.Equal(
                (messages[i].Id.ToString(), 1L, messages[i].SenderId, "text", $"c{i}", stored.Content.GetRawText(), stored.Metadata?.GetRawText(), stored.CreatedAt),
                (appended[i].Id, appended[i].Seq, appended[i].SenderId, appended[i].Kind, appended[i].ClientMessageId, appended[i].Content.GetRawText(), appended[i].Metadata?.GetRawText(), appended[i].CreatedAt));
        }
    }

    [Fact]
    public async Task A_caller_that_cancels_while_queued_gets_cancellation_and_writes_nothing_while_the_rest_commit()
    {
        var (cancelled, kept) = (await _seed.SessionAsync(), await _seed.SessionAsync());
        using var cts = new CancellationTokenSource();
        _store.Appends.Hold();
        var doomed = _store.TryAppendAsync(Seed.Message(cancelled), 0, cts.Token);
        var survivor = _store.TryAppendAsync(Seed.Message(kept), 0, CancellationToken.None);

        await cts.CancelAsync();
        _store.Appends.Release();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => doomed);
        Assert.IsType<AppendOutcome.Appended>(await survivor);
        Assert.Equal(1, _store.Appends.BatchesSent);
        Assert.Equal(0, (await HeadAsync(cancelled)).LastSeq);
        Assert.Empty(await _store.ReadForwardAsync(cancelled.Id, 0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Cancelling_after_the_batch_was_sent_does_not_cancel_the_append()
    {
        var (blocked, other) = (await _seed.SessionAsync(), await _seed.SessionAsync());
        using var cts = new CancellationTokenSource();
        await using var locker = await LockSessionRowAsync(blocked);

        var pending = StartOneBatch([(Seed.Message(blocked), 0), (Seed.Message(other), 0)], cts.Token);
        await WaitForBlockedBatchAsync();
        await cts.CancelAsync();
        await locker.DisposeAsync();

        Assert.All(await Task.WhenAll(pending), o => Assert.IsType<AppendOutcome.Appended>(o));
        Assert.Equal(1, (await HeadAsync(blocked)).LastSeq);
    }

    [Fact]
    public async Task A_batch_whose_connection_is_lost_fails_every_caller_and_reports_no_success()
    {
        var sessions = await SessionsAsync(3);
        await using var locker = await LockSessionRowAsync(sessions[1]);

        var pending = StartOneBatch(sessions.Select(s => (Seed.Message(s), 0L)).ToArray());
        var backend = await WaitForBlockedBatchAsync();
        await using (var terminate = database.DataSource.CreateCommand("select pg_terminate_backend($1)"))
        {
            terminate.Parameters.Add(new NpgsqlParameter<int> { TypedValue = backend });
            await terminate.ExecuteScalarAsync();
        }

        var settled = await Task.WhenAll(pending.Select(Settle));
        await locker.DisposeAsync();

        Assert.All(settled, s => Assert.IsAssignableFrom<NpgsqlException>(s.Error));
        Assert.Equal(0, _store.Appends.BatchesReplayed);
        foreach (var session in sessions)
        {
            Assert.Equal(0, (await HeadAsync(session)).LastSeq);
            Assert.Empty(await _store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None));
        }
    }

    [Fact]
    public async Task A_queue_longer_than_the_batch_size_goes_out_in_batches_of_at_most_that_size()
    {
        var store = new MessageStore(database.DataSource, new AppendBatchOptions { MaxBatchSize = 4, MaxBatchesInFlight = 2 });
        var sessions = await SessionsAsync(10);

        store.Appends.Hold();
        var pending = sessions.Select(s => store.TryAppendAsync(Seed.Message(s), 0, CancellationToken.None)).ToArray();
        store.Appends.Release();

        Assert.All(await Task.WhenAll(pending), o => Assert.IsType<AppendOutcome.Appended>(o));
        Assert.Equal(3, store.Appends.BatchesSent);
    }

    private async Task<List<ChatSession>> SessionsAsync(int count)
    {
        var (alice, bob) = (await _seed.ParticipantAsync(), await _seed.ParticipantAsync());
        var sessions = new List<ChatSession>();
        for (var i = 0; i < count; i++)
        {
            sessions.Add(await _seed.SessionAsync(alice, bob));
        }

        return sessions;
    }

    /// <summary>Queues all appends while the batcher is held, then releases them into one statement.</summary>
    private Task<AppendOutcome>[] StartOneBatch((NewMessage Message, long ExpectedLastSeq)[] appends, CancellationToken ct = default)
    {
        _store.Appends.Hold();
        var pending = appends.Select(a => _store.TryAppendAsync(a.Message, a.ExpectedLastSeq, ct)).ToArray();
        Assert.Equal(appends.Length, _store.Appends.QueuedCount);
        var sent = _store.Appends.BatchesSent;
        _store.Appends.Release();
        Assert.Equal(sent + 1, _store.Appends.BatchesSent);
        return pending;
    }

    private Task<AppendOutcome[]> InOneBatchAsync((NewMessage Message, long ExpectedLastSeq)[] appends) => Task.WhenAll(StartOneBatch(appends));

    private static async Task<(AppendOutcome? Outcome, Exception? Error)> Settle(Task<AppendOutcome> append)
    {
        try
        {
            return (await append, null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    private async Task<(long LastSeq, string? LastMessageId)> HeadAsync(ChatSession session)
    {
        var head = await _seed.Sessions.GetAsync(session.Id, CancellationToken.None);
        return (head!.LastSeq, head.LastMessageId);
    }

    /// <summary>Holds the session's row locked in an open transaction until disposed (rolled back).</summary>
    private async Task<NpgsqlConnection> LockSessionRowAsync(ChatSession session)
    {
        var connection = await database.DataSource.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("select 1 from chat_sessions where id = $1 for update", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.Id });
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>The backend running this test class's batch statement, once it waits for a row lock.</summary>
    private async Task<int> WaitForBlockedBatchAsync()
    {
        int? backend = null;
        await Deadline.WaitUntilAsync(() =>
        {
            using var command = database.DataSource.CreateCommand(
                "select pid from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%unnest%' and pid <> pg_backend_pid()");
            backend = (int?)command.ExecuteScalar();
            return backend is not null;
        }, "the batch statement waits for the locked row");
        return backend!.Value;
    }
}
