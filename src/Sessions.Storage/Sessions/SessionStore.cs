using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Internal;
using Sessions.Storage.Paging;

namespace Sessions.Storage.Sessions;

/// <summary>
/// The <c>chat_sessions</c> table. Every write is conditional (insert if absent, status compare-and-swap), so two
/// activations of one session that race each other cannot both win. The log head (<c>last_seq</c> and friends)
/// is written only by <see cref="Messages.MessageStore"/>.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, initiator_id, peer_id, agent_id, kind, status, metadata, task_id, last_seq, last_message_id, last_message_at, created_at, updated_at";

    // Each role has its own index, walked newest first and cut at the page size; a participant with two roles in
    // one session (e.g. peer and agent) is taken from the first branch only. No cursor: the bound is +infinity.
    private static readonly string ListByParticipantSql = $"""
        select {Columns} from (
            (select {Columns} from chat_sessions
             where initiator_id = $1 and {PageFilter}
             order by created_at desc, id desc limit $5)
            union all
            (select {Columns} from chat_sessions
             where peer_id = $1 and initiator_id <> $1 and {PageFilter}
             order by created_at desc, id desc limit $5)
            union all
            (select {Columns} from chat_sessions
             where agent_id = $1 and initiator_id <> $1 and peer_id <> $1 and {PageFilter}
             order by created_at desc, id desc limit $5)
        ) as mine
        order by created_at desc, id desc
        limit $5
        """;

    private const string PageFilter =
        "(created_at, id) < (coalesce($2, 'infinity'::timestamptz), coalesce($3, '')) and ($4::text is null or status = $4)";

    public async Task<ChatSession?> GetAsync(string id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from chat_sessions where id = $1");
        command.Parameters.Add(Param.Text(id));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts an active session with an empty log; returns the stored row, or null if the id is taken.
    /// The participants must exist (<see cref="Participants.ParticipantStore.FindMissingAsync"/>).
    /// </summary>
    public async Task<ChatSession?> TryInsertAsync(string id, CreateSessionCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var insert = dataSource.CreateCommand($"""
            insert into chat_sessions (id, initiator_id, peer_id, agent_id, kind, status, metadata, task_id)
            values ($1, $2, $3, $4, $5, 'active', $6, $7)
            on conflict (id) do nothing
            returning {Columns}
            """);
        insert.Parameters.Add(Param.Text(id));
        insert.Parameters.Add(Param.Text(command.InitiatorId));
        insert.Parameters.Add(Param.Text(command.PeerId));
        insert.Parameters.Add(Param.Text(command.AgentId));
        insert.Parameters.Add(Param.Text(command.Kind));
        insert.Parameters.Add(Param.Jsonb(command.Metadata, nameof(command)));
        insert.Parameters.Add(Param.Text(command.TaskId));
        return await ReadSingleAsync(insert, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the session from <paramref name="from"/> to <paramref name="to"/> and returns it, or returns null if its
    /// status was not <paramref name="from"/> (or it does not exist). Whether the move is legal is the caller's call.
    /// </summary>
    public async Task<ChatSession?> TryChangeStatusAsync(string id, SessionStatus from, SessionStatus to, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            update chat_sessions set status = $3, updated_at = now()
            where id = $1 and status = $2
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(id));
        command.Parameters.Add(Param.Text(SessionStatusColumn.ToText(from)));
        command.Parameters.Add(Param.Text(SessionStatusColumn.ToText(to)));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The sessions in which <paramref name="participantId"/> is initiator, peer or agent (optionally only those in
    /// <paramref name="status"/>), newest first by (created_at, id), starting after <paramref name="cursor"/>.
    /// </summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by this listing.</exception>
    public async Task<SessionPage> ListByParticipantAsync(
        string participantId, SessionStatus? status, int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        (DateTimeOffset At, string Id)? after = cursor is null ? null : KeysetCursor.ToTimeAndId(cursor);

        await using var command = dataSource.CreateCommand(ListByParticipantSql);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.TimestampTz(after?.At));
        command.Parameters.Add(Param.Text(after?.Id));
        command.Parameters.Add(Param.Text(status is { } s ? SessionStatusColumn.ToText(s) : null));
        command.Parameters.Add(Param.Bigint(limit + 1L));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var sessions = new List<ChatSession>(Math.Min(limit, 1000) + 1);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            sessions.Add(Read(reader));
        }

        if (sessions.Count <= limit)
        {
            return new SessionPage(sessions, null);
        }

        sessions.RemoveAt(limit);
        var last = sessions[^1];
        return new SessionPage(sessions, KeysetCursor.FromTimeAndId(last.CreatedAt, last.Id));
    }

    private static async Task<ChatSession?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static ChatSession Read(NpgsqlDataReader reader) => new(
        Id: reader.GetString(0),
        InitiatorId: reader.GetString(1),
        PeerId: reader.GetString(2),
        AgentId: reader.IsDBNull(3) ? null : reader.GetString(3),
        Kind: reader.GetString(4),
        Status: SessionStatusColumn.Parse(reader.GetString(5)),
        Metadata: JsonColumn.ReadNullable(reader, 6),
        TaskId: reader.IsDBNull(7) ? null : reader.GetString(7),
        LastSeq: reader.GetInt64(8),
        LastMessageId: reader.IsDBNull(9) ? null : reader.GetGuid(9).ToString(),
        LastMessageAt: reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(11),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(12));
}
