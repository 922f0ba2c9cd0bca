using Npgsql;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// What must hold in the database whatever the requests were: each check is a query returning the rows that break it,
/// so an empty result is a pass and a failure shows the rows. The foreign keys already forbid most dangling rows; these
/// checks cover what they cannot (a log that disagrees with its session, gaps, members, kinds) and catch a dropped key.
/// </summary>
public static class DatabaseInvariants
{
    public static readonly IReadOnlyList<(string Name, string Sql)> Checks =
    [
        ("messages without their session", """
            select m.session_id, m.seq from chat_messages m left join chat_sessions s on s.id = m.session_id where s.id is null
            """),
        ("sessions whose last_seq is not their last message, or whose log has gaps", """
            select s.id, s.last_seq, coalesce(max(m.seq), 0) as max_seq, count(m.seq) as messages
            from chat_sessions s left join chat_messages m on m.session_id = s.id
            group by s.id, s.last_seq
            having s.last_seq <> coalesce(max(m.seq), 0) or count(m.seq) <> s.last_seq
            """),
        ("sessions whose last_message_id is not the message at last_seq", """
            select s.id, s.last_seq, s.last_message_id from chat_sessions s
            left join chat_messages m on m.session_id = s.id and m.seq = s.last_seq
            where (s.last_seq = 0 and s.last_message_id is not null) or (s.last_seq > 0 and m.id is distinct from s.last_message_id)
            """),
        ("messages sent by someone not in their session", """
            select m.session_id, m.seq, m.sender_id from chat_messages m join chat_sessions s on s.id = m.session_id
            where m.sender_id not in (s.initiator_id, s.peer_id) and m.sender_id is distinct from s.agent_id
            """),
        ("sessions whose members are missing, repeated, or whose agent is no agent", """
            select s.id from chat_sessions s
            left join participants i on i.id = s.initiator_id
            left join participants p on p.id = s.peer_id
            left join participants a on a.id = s.agent_id
            where i.id is null or p.id is null or s.initiator_id = s.peer_id
               or (s.agent_id is not null and (a.id is null or a.kind <> 'agent' or s.agent_id in (s.initiator_id, s.peer_id)))
            """),
        ("agent registrations of a missing participant or one that is no agent", """
            select a.participant_id from agents a left join participants p on p.id = a.participant_id where p.id is null or p.kind <> 'agent'
            """),
        ("read cursors past their session's end or of a non-member", """
            select c.session_id, c.participant_id, c.last_read_seq from read_cursors c left join chat_sessions s on s.id = c.session_id
            where s.id is null or c.last_read_seq > s.last_seq
               or (c.participant_id not in (s.initiator_id, s.peer_id) and c.participant_id is distinct from s.agent_id)
            """),
        ("replies in flight of a missing session or a non-member", """
            select r.session_id, r.reply_id from chat_replies r left join chat_sessions s on s.id = r.session_id
            where s.id is null or (r.sender_id not in (s.initiator_id, s.peer_id) and r.sender_id is distinct from s.agent_id)
            """),
        ("deliveries pointing nowhere or past their session's log", """
            select d.id from webhook_deliveries d
            left join chat_sessions s on s.id = d.session_id
            left join participants p on p.id = d.agent_id
            where s.id is null or p.id is null or d.last_seq > s.last_seq
            """),
        ("delivery attempts without their delivery, or deliveries whose attempts disagree with them", """
            select a.delivery_id from webhook_attempts a left join webhook_deliveries d on d.id = a.delivery_id where d.id is null
            union all
            select d.id from webhook_deliveries d left join webhook_attempts a on a.delivery_id = d.id
            group by d.id, d.attempts having d.attempts <> coalesce(max(a.attempt), 0)
            """),
    ];

    /// <summary>Every broken check with the first rows that break it; empty when the database is whole.</summary>
    public static async Task<IReadOnlyList<string>> FindViolationsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var violations = new List<string>();
        foreach (var (name, sql) in Checks)
        {
            await using var command = dataSource.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                rows.Add(string.Join(", ", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={reader.GetValue(i)}")));
            }

            if (rows.Count > 0)
            {
                violations.Add($"{name}: {rows.Count} rows, e.g. {string.Join("; ", rows.Take(5))}");
            }
        }

        return violations;
    }
}
