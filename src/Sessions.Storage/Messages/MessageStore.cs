using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Messages;

/// <summary>
/// The <c>chat_messages</c> log of each session. Appends are where correctness lives: PostgreSQL, not placement,
/// decides which of two racing writers gets a seq (see <see cref="TryAppendAsync"/>).
/// </summary>
public sealed class MessageStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at";
    private const string ClientMessageIdConstraint = "chat_messages_client_message_id_key";

    // One statement, one round trip, one implicit transaction. The update is a compare-and-swap on the log head:
    // a concurrent writer holding the row makes this one wait, then re-check last_seq and match nothing, so the
    // insert (fed by the update's row) inserts nothing either. A duplicate client_message_id fails the insert and
    // with it the whole statement, head update included. unique (session_id, seq) backs all of this up.
    private const string AppendSql = """
        with head as (
            update chat_sessions
            set last_seq = $3 + 1, last_message_id = $1, last_message_at = now(), updated_at = now()
            where id = $2 and last_seq = $3
            returning last_seq, last_message_at)
        insert into chat_messages (id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at)
        select $1, $2, head.last_seq, $4, $5, $6, $7, $8, head.last_message_at from head
        returning created_at, content, metadata
        """;

    /// <summary>
    /// Appends <paramref name="message"/> at seq <paramref name="expectedLastSeq"/> + 1 if the session's log ends
    /// at <paramref name="expectedLastSeq"/>; acknowledged (returned as <see cref="AppendOutcome.Appended"/>) only once committed.
    /// </summary>
    public async Task<AppendOutcome> TryAppendAsync(NewMessage message, long expectedLastSeq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLastSeq);

        await using var command = dataSource.CreateCommand(AppendSql);
        command.Parameters.Add(Param.Uuid(message.Id));
        command.Parameters.Add(Param.Text(message.SessionId));
        command.Parameters.Add(Param.Bigint(expectedLastSeq));
        command.Parameters.Add(Param.Text(message.SenderId));
        command.Parameters.Add(Param.Text(message.Kind));
        command.Parameters.Add(Param.Jsonb(message.Content, nameof(message)));
        command.Parameters.Add(Param.Jsonb(message.Metadata, nameof(message)));
        command.Parameters.Add(Param.Text(message.ClientMessageId));
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return AppendOutcome.SeqTaken.Instance;
            }

            return new AppendOutcome.Appended(new ChatMessage(
                Id: message.Id.ToString(),
                SessionId: message.SessionId,
                Seq: expectedLastSeq + 1,
                SenderId: message.SenderId,
                Kind: message.Kind,
                Content: JsonColumn.Read(reader, 1),
                Metadata: JsonColumn.ReadNullable(reader, 2),
                ClientMessageId: message.ClientMessageId,
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(0)));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == ClientMessageIdConstraint)
        {
            return AppendOutcome.DuplicateClientMessageId.Instance;
        }
    }

    /// <summary>The message that carried <paramref name="clientMessageId"/> in the session, if any.</summary>
    public async Task<ChatMessage?> FindByClientMessageIdAsync(string sessionId, string clientMessageId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from chat_messages where session_id = $1 and client_message_id = $2");
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Text(clientMessageId));
        var messages = await ReadAllAsync(command, ct).ConfigureAwait(false);
        return messages.Count == 0 ? null : messages[0];
    }

    /// <summary>Up to <paramref name="limit"/> messages with seq greater than <paramref name="afterSeq"/>, ascending.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadForwardAsync(string sessionId, long afterSeq, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(
            $"select {Columns} from chat_messages where session_id = $1 and seq > $2 order by seq limit $3");
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Bigint(afterSeq));
        command.Parameters.Add(Param.Integer(limit));
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="limit"/> messages with seq less than <paramref name="beforeSeq"/>, ascending.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadBackwardAsync(string sessionId, long beforeSeq, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from (
                select {Columns} from chat_messages where session_id = $1 and seq < $2 order by seq desc limit $3
            ) as newest
            order by seq
            """);
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Bigint(beforeSeq));
        command.Parameters.Add(Param.Integer(limit));
        return await ReadAllAsync(command, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ChatMessage>> ReadAllAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var messages = new List<ChatMessage>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            messages.Add(new ChatMessage(
                Id: reader.GetGuid(0).ToString(),
                SessionId: reader.GetString(1),
                Seq: reader.GetInt64(2),
                SenderId: reader.GetString(3),
                Kind: reader.GetString(4),
                Content: JsonColumn.Read(reader, 5),
                Metadata: JsonColumn.ReadNullable(reader, 6),
                ClientMessageId: reader.IsDBNull(7) ? null : reader.GetString(7),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(8)));
        }

        return messages;
    }
}
