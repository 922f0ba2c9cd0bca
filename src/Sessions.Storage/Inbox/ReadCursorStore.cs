using Npgsql;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Inbox;

/// <summary>
/// The <c>read_cursors</c> table: how far each participant has read each session. A cursor only moves forward
/// (<c>greatest</c>), so writes can be repeated or arrive out of order without moving it back.
/// </summary>
public sealed class ReadCursorStore(NpgsqlDataSource dataSource)
{
    // updated_at records the last move, not the last attempt. The count stops at $4, the last seq the caller has
    // accounted for, so messages it has not heard of yet are not counted twice once it does.
    private const string MoveForwardSql = """
        with cursor as (
            insert into read_cursors as c (session_id, participant_id, last_read_seq) values ($1, $2, $3)
            on conflict (session_id, participant_id) do update
            set last_read_seq = greatest(c.last_read_seq, excluded.last_read_seq),
                updated_at = case when excluded.last_read_seq > c.last_read_seq then now() else c.updated_at end
            returning last_read_seq)
        select cursor.last_read_seq,
               (select count(*) from chat_messages m
                where m.session_id = $1 and m.seq > cursor.last_read_seq and m.seq <= $4 and m.sender_id <> $2)
        from cursor
        """;

    /// <summary>
    /// Moves the cursor of <paramref name="participantId"/> in <paramref name="sessionId"/> to
    /// <paramref name="lastReadSeq"/> unless it is already further, and counts what others sent after it up to
    /// <paramref name="countUpToSeq"/>. The session and the participant must exist.
    /// </summary>
    public async Task<ReadCursor> MoveForwardAsync(string sessionId, string participantId, long lastReadSeq, long countUpToSeq, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lastReadSeq);
        await using var command = dataSource.CreateCommand(MoveForwardSql);
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Bigint(lastReadSeq));
        command.Parameters.Add(Param.Bigint(countUpToSeq));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new ReadCursor(reader.GetInt64(0), reader.GetInt64(1));
    }
}
