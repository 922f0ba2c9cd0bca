using Sessions.Storage.Messages;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Messages;

/// <summary>The append a writer falls back to after losing a race: the database picks the seq.</summary>
public sealed class AppendAtEndTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private MessageStore Store => _seed.Messages;

    [Fact]
    public async Task An_append_at_the_end_takes_the_seq_after_the_log_as_it_is_now_and_moves_the_head()
    {
        var session = await _seed.SessionWithMessagesAsync(3);
        var message = Seed.Message(session, "late");

        var appended = Assert.IsType<AppendOutcome.Appended>(await Store.AppendAtEndAsync(message, null, CancellationToken.None)).Message;

        Assert.Equal((4L, message.Id.ToString(), "late"), (appended.Seq, appended.Id, appended.ClientMessageId));
        var head = await _seed.Sessions.GetAsync(session.Id, CancellationToken.None);
        Assert.Equal((4L, appended.Id, appended.CreatedAt), (head!.LastSeq, head.LastMessageId, head.LastMessageAt!.Value));
        Assert.Equal([1L, 2, 3, 4], (await Store.ReadForwardAsync(session.Id, 0, 10, CancellationToken.None)).Select(m => m.Seq));
    }

    [Fact]
    public async Task With_an_expected_last_seq_it_appends_only_where_the_log_ends_there()
    {
        var session = await _seed.SessionWithMessagesAsync(2);

        Assert.IsType<AppendOutcome.SeqTaken>(await Store.AppendAtEndAsync(Seed.Message(session), 1, CancellationToken.None));
        Assert.Equal(2, (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq);

        var appended = Assert.IsType<AppendOutcome.Appended>(await Store.AppendAtEndAsync(Seed.Message(session), 2, CancellationToken.None));
        Assert.Equal(3, appended.Message.Seq);
    }

    [Fact]
    public async Task An_unknown_session_is_SeqTaken_and_a_repeated_client_message_id_is_DuplicateClientMessageId()
    {
        var session = await _seed.SessionAsync();
        Assert.IsType<AppendOutcome.Appended>(await Store.AppendAtEndAsync(Seed.Message(session, "once"), null, CancellationToken.None));

        Assert.IsType<AppendOutcome.DuplicateClientMessageId>(await Store.AppendAtEndAsync(Seed.Message(session, "once"), null, CancellationToken.None));
        Assert.IsType<AppendOutcome.SeqTaken>(await Store.AppendAtEndAsync(
            new NewMessage(Guid.CreateVersion7(), Seed.NewId("none"), "anyone", "text", Seed.Json("{}"), null, null), null, CancellationToken.None));
        Assert.Equal(1, (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq);
    }

    [Fact]
    public async Task Writers_appending_at_the_end_at_once_all_succeed_with_a_gapless_log_beside_compare_and_swap_writers()
    {
        var session = await _seed.SessionAsync();

        // Eight writers that never lose (at the end) racing one that names its seq and reloads when it loses.
        var atEnd = Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.IsType<AppendOutcome.Appended>(await Store.AppendAtEndAsync(Seed.Message(session, $"end{writer}-{i}"), null, CancellationToken.None));
            }
        }));
        var swapping = Task.Run(async () =>
        {
            for (var sent = 0; sent < 10;)
            {
                var head = (await _seed.Sessions.GetAsync(session.Id, CancellationToken.None))!.LastSeq;
                if (await Store.TryAppendAsync(Seed.Message(session, $"cas-{sent}"), head, CancellationToken.None) is AppendOutcome.Appended)
                {
                    sent++;
                }
            }
        });
        await Task.WhenAll(atEnd.Append(swapping));

        var log = await Store.ReadForwardAsync(session.Id, 0, 200, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 90).Select(i => (long)i), log.Select(m => m.Seq));
        Assert.Equal(90, log.Select(m => m.ClientMessageId).Distinct().Count());
    }
}
