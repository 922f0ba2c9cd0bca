using Npgsql;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

/// <summary>
/// What a participant's inbox must show, computed straight from the tables with a query of its own (not the store's),
/// in inbox order. Entries are compared as <see cref="Row"/>s, which hold everything an entry shows.
/// </summary>
internal static class InboxOracle
{
    public sealed record Row(
        string SessionId, SessionStatus Status, long LastSeq, long LastReadSeq, long UnreadCount,
        string? LastMessageId, long? LastMessageSeq, string? LastSenderId, string? Preview, DateTimeOffset LastActivityAt);

    public static Row Of(InboxEntry entry) => new(
        entry.SessionId, entry.Status, entry.LastSeq, entry.LastReadSeq, entry.UnreadCount,
        entry.LastMessage?.MessageId, entry.LastMessage?.Seq, entry.LastMessage?.SenderId, entry.LastMessage?.Preview, entry.LastActivityAt);

    public static async Task<List<Row>> ExpectedAsync(string connectionString, string participantId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select s.id, s.status, s.last_seq, coalesce(c.last_read_seq, 0),
                   (select count(*) from chat_messages u
                    where u.session_id = s.id and u.seq > coalesce(c.last_read_seq, 0) and u.sender_id <> $1),
                   m.id, m.seq, m.sender_id, m.content ->> 'text',
                   coalesce(m.created_at, s.created_at) as activity
            from chat_sessions s
            left join read_cursors c on c.session_id = s.id and c.participant_id = $1
            left join chat_messages m on m.session_id = s.id and m.seq = s.last_seq
            where s.initiator_id = $1 or s.peer_id = $1 or s.agent_id = $1
            order by activity desc, s.id collate "C" desc
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = participantId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Row(
                reader.GetString(0),
                Enum.Parse<SessionStatus>(reader.GetString(1), ignoreCase: true),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetGuid(5).ToString(),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return rows;
    }

    /// <summary>Waits until the inbox, read page by page, is exactly what the tables say, and returns it.</summary>
    public static async Task<List<Row>> InboxMatchesTablesAsync(this ChatSilo silo, string connectionString, string participantId)
    {
        List<Row> actual = [];
        List<Row> expected = [];
        try
        {
            await Eventually.TrueAsync(
                async () =>
                {
                    expected = await ExpectedAsync(connectionString, participantId);
                    actual = (await silo.Inbox(participantId).ListAllAsync()).Select(Of).ToList();
                    return actual.SequenceEqual(expected);
                },
                $"the inbox of {participantId} matches the tables");
        }
        catch (TimeoutException)
        {
            Assert.Equal(expected, actual);
            throw;
        }

        return actual;
    }
}
