using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Internal;
using Sessions.Storage.Sessions;

namespace Sessions.Storage.Inbox;

/// <summary>
/// Reads what participants' inboxes are built from. Each read is one statement, so an entry's head, cursor, unread
/// count and last message come from one snapshot and agree with each other. Nothing here needs an index of its own:
/// a participant's sessions come from the by-role indexes of <c>chat_sessions</c>, and cursors, last messages and
/// unread messages (those after the cursor) from primary keys.
/// </summary>
public sealed class InboxStore(NpgsqlDataSource dataSource)
{
    // A participant with two roles in one session (peer and agent) is taken from the first branch only.
    private const string SessionsOfParticipant = """
        select id, status, last_seq, created_at, updated_at from chat_sessions where initiator_id = $1
        union all
        select id, status, last_seq, created_at, updated_at from chat_sessions where peer_id = $1 and initiator_id <> $1
        union all
        select id, status, last_seq, created_at, updated_at from chat_sessions
        where agent_id = $1 and initiator_id <> $1 and peer_id <> $1
        """;

    private const string NamedSessionsOfParticipant = """
        select id, status, last_seq, created_at, updated_at from chat_sessions
        where id = any($3) and (initiator_id = $1 or peer_id = $1 or agent_id = $1)
        """;

    // $1 the participant, $2 the preview length. A text content is cut here, so a long message never travels whole.
    private const string EntryColumns = """
        s.id, s.status, s.last_seq, coalesce(c.last_read_seq, 0),
        (select count(*) from chat_messages u
         where u.session_id = s.id and u.seq > coalesce(c.last_read_seq, 0) and u.seq <= s.last_seq and u.sender_id <> $1),
        m.id, m.seq, m.sender_id, m.kind,
        case when jsonb_typeof(m.content -> 'text') = 'string'
             then jsonb_build_object('text', left(m.content ->> 'text', $2))
             else m.content end,
        coalesce(m.created_at, s.created_at), s.updated_at
        """;

    private const string EntryJoins = """
        left join read_cursors c on c.session_id = s.id and c.participant_id = $1
        left join chat_messages m on m.session_id = s.id and m.seq = s.last_seq
        """;

    // The participant's row is the outer side: no row at all means no such participant, a row of nulls means no sessions.
    private static readonly string LoadSql = $"""
        select e.* from participants p
        left join (select {EntryColumns} from ({SessionsOfParticipant}) as s {EntryJoins}) as e on true
        where p.id = $1
        """;

    private static readonly string LoadSessionsSql = $"select {EntryColumns} from ({NamedSessionsOfParticipant}) as s {EntryJoins}";

    private static readonly string HeadsSql = $"""
        select s.id, s.status, s.last_seq, coalesce(c.last_read_seq, 0)
        from ({SessionsOfParticipant}) as s
        left join read_cursors c on c.session_id = s.id and c.participant_id = $1
        """;

    /// <summary>
    /// Every session <paramref name="participantId"/> is in (as initiator, peer or agent), in no particular order; null
    /// when there is no such participant. Text previews are cut to <paramref name="previewLength"/> characters.
    /// </summary>
    public async Task<IReadOnlyList<InboxRow>?> LoadAsync(string participantId, int previewLength, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(LoadSql);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Integer(previewLength));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return null;
        }

        var rows = new List<InboxRow>();
        do
        {
            if (!reader.IsDBNull(0))
            {
                rows.Add(Read(reader));
            }
        }
        while (await reader.ReadAsync(ct).ConfigureAwait(false));

        return rows;
    }

    /// <summary>Those of <paramref name="sessionIds"/> that exist and have <paramref name="participantId"/> in them.</summary>
    public async Task<IReadOnlyList<InboxRow>> LoadSessionsAsync(
        string participantId, IReadOnlyCollection<string> sessionIds, int previewLength, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        await using var command = dataSource.CreateCommand(LoadSessionsSql);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Integer(previewLength));
        command.Parameters.Add(Param.TextArray(sessionIds.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new List<InboxRow>(sessionIds.Count);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    /// <summary>The head and cursor of every session <paramref name="participantId"/> is in: cheap enough to poll.</summary>
    public async Task<IReadOnlyList<InboxHead>> ReadHeadsAsync(string participantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(HeadsSql);
        command.Parameters.Add(Param.Text(participantId));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var heads = new List<InboxHead>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            heads.Add(new InboxHead(reader.GetString(0), SessionStatusColumn.Parse(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return heads;
    }

    private static InboxRow Read(NpgsqlDataReader reader) => new(
        SessionId: reader.GetString(0),
        Status: SessionStatusColumn.Parse(reader.GetString(1)),
        LastSeq: reader.GetInt64(2),
        LastReadSeq: reader.GetInt64(3),
        UnreadCount: reader.GetInt64(4),
        LastMessage: reader.IsDBNull(5)
            ? null
            : new InboxRowMessage(
                Id: reader.GetGuid(5).ToString(),
                Seq: reader.GetInt64(6),
                SenderId: reader.GetString(7),
                Kind: reader.GetString(8),
                Content: JsonColumn.Read(reader, 9),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(10)),
        LastActivityAt: reader.GetFieldValue<DateTimeOffset>(10),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(11));
}
