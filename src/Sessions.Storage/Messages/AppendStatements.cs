using Npgsql;
using NpgsqlTypes;
using Sessions.Abstractions;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Messages;

/// <summary>
/// The statements that extend message logs, each one round trip and one implicit transaction: one append, or a
/// batch of appends to (usually) different sessions, both a compare-and-swap on <c>chat_sessions.last_seq</c>
/// feeding the insert, so PostgreSQL, not placement, decides which of two racing writers gets a seq; and one append
/// at the end of the log, whose seq the session row's lock assigns, for a writer that lost such a race.
/// </summary>
internal sealed class AppendStatements(NpgsqlDataSource dataSource)
{
    private const string ClientMessageIdConstraint = "chat_messages_client_message_id_key";

    // A concurrent writer holding the session row makes this one wait, then re-check last_seq and match nothing, so
    // the insert (fed by the update's row) inserts nothing either. A duplicate client_message_id fails the insert and
    // with it the whole statement, head update included. unique (session_id, seq) backs all of this up.
    private const string AppendOneSql = """
        with head as (
            update chat_sessions
            set last_seq = $3 + 1, last_message_id = $1, last_message_at = now(), updated_at = now()
            where id = $2 and last_seq = $3
            returning last_seq, last_message_at)
        insert into chat_messages (id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at)
        select $1, $2, head.last_seq, $4, $5, $6, $7, $8, head.last_message_at from head
        returning seq, created_at, content, metadata
        """;

    // The seq is whatever follows the log's end once this writer holds the session row: racing writers queue on the
    // row lock and each takes the next seq, so nobody loses and the log stays gapless. $3, when given, still demands
    // that the log ends there (the caller's expected_seq).
    private const string AppendAtEndSql = """
        with head as (
            update chat_sessions
            set last_seq = last_seq + 1, last_message_id = $1, last_message_at = now(), updated_at = now()
            where id = $2 and ($3::bigint is null or last_seq = $3)
            returning last_seq, last_message_at)
        insert into chat_messages (id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at)
        select $1, $2, head.last_seq, $4, $5, $6, $7, $8, head.last_message_at from head
        returning seq, created_at, content, metadata
        """;

    // The same compare-and-swap for many appends: one input row per append (numbered by ordinality), one update of
    // chat_sessions joined to them, one insert of the rows whose update happened. An update joined to two input rows
    // for the same session (two activations racing) applies only one of them and returns only that one's ordinal, so
    // only that message is inserted: at most one winner per session, never a gap. Any error rolls back everything.
    private const string AppendManySql = """
        with input as (
            select *
            from unnest($1::uuid[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::text[])
                with ordinality as i (id, session_id, expected_seq, sender_id, kind, content, metadata, client_message_id, ord)),
        head as (
            update chat_sessions as s
            set last_seq = i.expected_seq + 1, last_message_id = i.id, last_message_at = now(), updated_at = now()
            from input as i
            where s.id = i.session_id and s.last_seq = i.expected_seq
            returning i.ord, i.id, s.last_seq, s.last_message_at),
        inserted as (
            insert into chat_messages (id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at)
            select i.id, i.session_id, head.last_seq, i.sender_id, i.kind, i.content, i.metadata, i.client_message_id, head.last_message_at
            from head join input as i on i.ord = head.ord
            returning id, created_at, content, metadata)
        select head.ord, inserted.created_at, inserted.content, inserted.metadata
        from inserted join head on head.id = inserted.id
        """;

    /// <summary>The append on its own: its outcome, or the exception it alone caused.</summary>
    public Task<AppendOutcome> AppendOneAsync(PendingAppend append, CancellationToken ct) =>
        AppendSingleAsync(AppendOneSql, append.Message, append.ContentJson, append.MetadataJson, append.ExpectedLastSeq, ct);

    /// <summary>
    /// The append at whatever seq follows the log's end (only if the log ends at <paramref name="expectedLastSeq"/>,
    /// when given): <see cref="AppendOutcome.SeqTaken"/> only for an unknown session or a log that ends elsewhere.
    /// </summary>
    public Task<AppendOutcome> AppendAtEndAsync(NewMessage message, long? expectedLastSeq, CancellationToken ct) =>
        AppendSingleAsync(
            AppendAtEndSql,
            message,
            JsonColumn.ToText(message.Content, nameof(message)),
            message.Metadata is { } metadata ? JsonColumn.ToText(metadata, nameof(message)) : null,
            expectedLastSeq,
            ct);

    private async Task<AppendOutcome> AppendSingleAsync(string sql, NewMessage message, string contentJson, string? metadataJson, long? expectedLastSeq, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(Param.Uuid(message.Id));
        command.Parameters.Add(Param.Text(message.SessionId));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)expectedLastSeq ?? DBNull.Value });
        command.Parameters.Add(Param.Text(message.SenderId));
        command.Parameters.Add(Param.Text(message.Kind));
        command.Parameters.Add(Jsonb(contentJson));
        command.Parameters.Add(Jsonb(metadataJson));
        command.Parameters.Add(Param.Text(message.ClientMessageId));
        try
        {
            // Disposing the reader reads up to ReadyForQuery, so an error in the commit surfaces before we return.
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false)
                ? new AppendOutcome.Appended(Stored(message, reader.GetInt64(0), reader, createdAt: 1, content: 2, metadata: 3))
                : AppendOutcome.SeqTaken.Instance;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ClientMessageIdConstraint)
        {
            return AppendOutcome.DuplicateClientMessageId.Instance;
        }
    }

    /// <summary>
    /// All of <paramref name="batch"/> in one statement: outcome i belongs to append i, and is
    /// <see cref="AppendOutcome.Appended"/> or <see cref="AppendOutcome.SeqTaken"/>. Returns only once committed; any
    /// error means none of them was written (a <see cref="PostgresException"/> of severity ERROR) or that the commit
    /// is in doubt (anything else).
    /// </summary>
    public async Task<AppendOutcome[]> AppendManyAsync(IReadOnlyList<PendingAppend> batch)
    {
        // Rows are locked in input order under the usual plans; sorting by session keeps two batches that share
        // sessions (two activations of one session, should that ever happen) from locking them in opposite orders and deadlocking.
        var order = new int[batch.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => string.CompareOrdinal(batch[a].Message.SessionId, batch[b].Message.SessionId));
        var ids = new Guid[order.Length];
        var sessionIds = new string[order.Length];
        var expectedSeqs = new long[order.Length];
        var senderIds = new string[order.Length];
        var kinds = new string[order.Length];
        var contents = new string[order.Length];
        var metadata = new string?[order.Length];
        var clientMessageIds = new string?[order.Length];
        for (var row = 0; row < order.Length; row++)
        {
            var append = batch[order[row]];
            ids[row] = append.Message.Id;
            sessionIds[row] = append.Message.SessionId;
            expectedSeqs[row] = append.ExpectedLastSeq;
            senderIds[row] = append.Message.SenderId;
            kinds[row] = append.Message.Kind;
            contents[row] = append.ContentJson;
            metadata[row] = append.MetadataJson;
            clientMessageIds[row] = append.Message.ClientMessageId;
        }

        await using var command = dataSource.CreateCommand(AppendManySql);
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Text, sessionIds));
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = expectedSeqs });
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Text, senderIds));
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Text, kinds));
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Jsonb, contents));
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Jsonb, metadata));
        command.Parameters.Add(ArrayOf(NpgsqlDbType.Text, clientMessageIds));

        var outcomes = new AppendOutcome[batch.Count];
        await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                var index = order[checked((int)reader.GetInt64(0)) - 1];
                var append = batch[index];
                outcomes[index] = new AppendOutcome.Appended(Stored(append.Message, append.ExpectedLastSeq + 1, reader, createdAt: 1, content: 2, metadata: 3));
            }
        }

        for (var i = 0; i < outcomes.Length; i++)
        {
            outcomes[i] ??= AppendOutcome.SeqTaken.Instance;
        }

        return outcomes;
    }

    private static ChatMessage Stored(NewMessage message, long seq, NpgsqlDataReader reader, int createdAt, int content, int metadata) => new(
        Id: message.Id.ToString(),
        SessionId: message.SessionId,
        Seq: seq,
        SenderId: message.SenderId,
        Kind: message.Kind,
        Content: JsonColumn.Read(reader, content),
        Metadata: JsonColumn.ReadNullable(reader, metadata),
        ClientMessageId: message.ClientMessageId,
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(createdAt));

    private static NpgsqlParameter Jsonb(string? json) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };

    private static NpgsqlParameter ArrayOf(NpgsqlDbType elementType, string?[] values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values };
}
