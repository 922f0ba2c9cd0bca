using System.Text.Json;
using Npgsql;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Replies;

/// <summary>A streamed reply's trace as stored: enough to end it after its grain was lost.</summary>
public sealed record StoredReply(string SessionId, string ReplyId, string SenderId, string Kind, JsonElement? Metadata, string Text, int ChunkCount, DateTimeOffset StartedAt);

/// <summary>
/// The <c>chat_replies</c> table: one row per streamed reply in flight, written when it starts, checkpointed now and
/// then with its text so far, deleted when it ends. Only the session's grain writes it.
/// </summary>
public sealed class ReplyStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a reply that started; false if the session already has one with this id.</summary>
    public async Task<bool> TryInsertAsync(StoredReply reply, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reply);
        await using var command = dataSource.CreateCommand("""
            insert into chat_replies (session_id, reply_id, sender_id, kind, metadata, started_at)
            values ($1, $2, $3, $4, $5, $6)
            on conflict (session_id, reply_id) do nothing
            """);
        command.Parameters.Add(Param.Text(reply.SessionId));
        command.Parameters.Add(Param.Text(reply.ReplyId));
        command.Parameters.Add(Param.Text(reply.SenderId));
        command.Parameters.Add(Param.Text(reply.Kind));
        command.Parameters.Add(Param.Jsonb(reply.Metadata, nameof(reply)));
        command.Parameters.Add(Param.TimestampTz(reply.StartedAt));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>Saves the text so far of several replies of one session in one round trip.</summary>
    public async Task CheckpointAsync(string sessionId, IReadOnlyList<(string ReplyId, string Text, int ChunkCount)> replies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(replies);
        if (replies.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand("""
            update chat_replies r set text = c.text, chunk_count = c.chunk_count, checkpointed_at = now()
            from unnest($2::text[], $3::text[], $4::int[]) as c (reply_id, text, chunk_count)
            where r.session_id = $1 and r.reply_id = c.reply_id
            """);
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.TextArray([.. replies.Select(r => r.ReplyId)]));
        command.Parameters.Add(Param.TextArray([.. replies.Select(r => r.Text)]));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Integer, Value = replies.Select(r => r.ChunkCount).ToArray() });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string sessionId, string replyId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from chat_replies where session_id = $1 and reply_id = $2");
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Text(replyId));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The session's replies that have a row: in flight when read by their live grain, orphaned when read on activation.</summary>
    public async Task<IReadOnlyList<StoredReply>> ListAsync(string sessionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            select session_id, reply_id, sender_id, kind, metadata, text, chunk_count, started_at
            from chat_replies where session_id = $1 order by started_at, reply_id
            """);
        command.Parameters.Add(Param.Text(sessionId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var replies = new List<StoredReply>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            replies.Add(new StoredReply(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                JsonColumn.ReadNullable(reader, 4),
                reader.GetString(5),
                reader.GetInt32(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return replies;
    }
}
