using Npgsql;
using NpgsqlTypes;

namespace Sessions.Benchmarks;

/// <summary>
/// The same work done straight on PostgreSQL, as a lower bound of what any service could do: an append is one
/// statement in its own transaction that bumps the session's last_seq and inserts the row; a tail read is one SELECT.
/// </summary>
internal sealed class RawSqlBaseline(NpgsqlDataSource database)
{
    private const string AppendSql = """
        with bumped as (
            update chat_sessions set last_seq = last_seq + 1, last_message_id = $2, last_message_at = now(), updated_at = now()
            where id = $1
            returning last_seq)
        insert into chat_messages (id, session_id, seq, sender_id, kind, content)
        select $2, $1, last_seq, $3, 'text', $4 from bumped
        """;

    private const string TailSql = """
        select id, session_id, seq, sender_id, kind, content::text, metadata::text, client_message_id, created_at
        from chat_messages where session_id = $1 order by seq desc limit $2
        """;

    public async Task CreateSessionsAsync(IEnumerable<string> ids, string initiator, string peer)
    {
        await using var batch = database.CreateBatch();
        foreach (var id in ids)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "insert into chat_sessions (id, initiator_id, peer_id, kind, status, created_at, updated_at) values ($1, $2, $3, 'chat', 'active', now(), now())")
            {
                Parameters = { new() { Value = id }, new() { Value = initiator }, new() { Value = peer } },
            });
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task AppendAsync(string sessionId, string senderId, string contentJson)
    {
        await using var command = database.CreateCommand(AppendSql);
        command.Parameters.Add(new() { Value = sessionId });
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = senderId });
        command.Parameters.Add(new() { Value = contentJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException($"Raw append to {sessionId} inserted nothing.");
        }
    }

    public async Task<long> LastSeqAsync(string sessionId)
    {
        await using var command = database.CreateCommand("select last_seq from chat_sessions where id = $1");
        command.Parameters.Add(new() { Value = sessionId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Reads the newest messages with every column materialized (content as text, not parsed).</summary>
    public async Task<int> ReadTailAsync(string sessionId, int limit)
    {
        await using var command = database.CreateCommand(TailSql);
        command.Parameters.Add(new() { Value = sessionId });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            _ = (reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetFieldValue<DateTimeOffset>(8));
            rows++;
        }

        return rows;
    }
}
