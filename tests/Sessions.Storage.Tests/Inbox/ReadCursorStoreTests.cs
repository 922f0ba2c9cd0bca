using Npgsql;
using Sessions.Storage.Inbox;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Inbox;

public sealed class ReadCursorStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly Seed _seed = new(database.DataSource);
    private readonly ReadCursorStore _cursors = new(database.DataSource);

    [Fact]
    public async Task A_cursor_only_moves_forward_and_a_step_back_leaves_its_row_untouched()
    {
        var session = await _seed.SessionWithMessagesAsync(3);
        var reader = session.PeerId;

        var first = await _cursors.MoveForwardAsync(session.Id, reader, 2, 3, CancellationToken.None);
        var movedAt = await UpdatedAtAsync(session.Id, reader);
        var back = await _cursors.MoveForwardAsync(session.Id, reader, 1, 3, CancellationToken.None);
        var same = await _cursors.MoveForwardAsync(session.Id, reader, 2, 3, CancellationToken.None);

        Assert.Equal(new ReadCursor(2, 1), first);
        Assert.Equal(first, back);
        Assert.Equal(first, same);
        Assert.Equal(movedAt, await UpdatedAtAsync(session.Id, reader));
        Assert.Equal(new ReadCursor(3, 0), await _cursors.MoveForwardAsync(session.Id, reader, 3, 3, CancellationToken.None));
    }

    [Fact]
    public async Task Unread_counts_only_others_and_stop_where_the_caller_says()
    {
        // The seeded messages are the initiator's own: never unread for the initiator, all unread for the peer.
        var session = await _seed.SessionWithMessagesAsync(5);

        Assert.Equal(new ReadCursor(1, 0), await _cursors.MoveForwardAsync(session.Id, session.InitiatorId, 1, 5, CancellationToken.None));
        Assert.Equal(new ReadCursor(1, 2), await _cursors.MoveForwardAsync(session.Id, session.PeerId, 1, 3, CancellationToken.None));
    }

    private async Task<DateTime> UpdatedAtAsync(string sessionId, string participantId)
    {
        await using var command = database.DataSource.CreateCommand("select updated_at from read_cursors where session_id = $1 and participant_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = participantId });
        return (DateTime)(await command.ExecuteScalarAsync())!;
    }
}
