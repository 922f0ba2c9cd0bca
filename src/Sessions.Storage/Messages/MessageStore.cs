using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Messages;

/// <summary>
/// The <c>chat_messages</c> log of each session. Appends are where correctness lives: PostgreSQL, not placement,
/// decides which of two racing writers gets a seq (see <see cref="TryAppendAsync"/>).
/// </summary>
public sealed class MessageStore
{
    private const string Columns = "id, session_id, seq, sender_id, kind, content, metadata, client_message_id, created_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly AppendStatements _statements;

    public MessageStore(NpgsqlDataSource dataSource)
        : this(dataSource, AppendBatchOptions.Default)
    {
    }

    internal MessageStore(NpgsqlDataSource dataSource, AppendBatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _statements = new AppendStatements(dataSource);
        Appends = new AppendBatcher(_statements, options);
    }

    /// <summary>Where appends queue to share statements with concurrent appends (group commit).</summary>
    internal AppendBatcher Appends { get; }

    /// <summary>
    /// Appends <paramref name="message"/> at seq <paramref name="expectedLastSeq"/> + 1 if the session's log ends
    /// at <paramref name="expectedLastSeq"/>; acknowledged (returned as <see cref="AppendOutcome.Appended"/>) only once committed.
    /// Concurrent appends share a statement and its commit (see <see cref="AppendBatcher"/>), each with its own outcome.
    /// <paramref name="ct"/> cancels the append only while it waits to be sent.
    /// </summary>
    public Task<AppendOutcome> TryAppendAsync(NewMessage message, long expectedLastSeq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedLastSeq);
        return Appends.AppendAsync(message, expectedLastSeq, ct);
    }

    /// <summary>
    /// Appends <paramref name="message"/> after whatever the session's log ends with when the statement runs: the
    /// database assigns the seq under the session row's lock, so the log stays gapless. This is for a writer that
    /// just lost a compare-and-swap to another activation of the same session: retrying the swap can lose over and
    /// over to the writer whose idea of last_seq is fresh, while this cannot lose. With
    /// <paramref name="expectedLastSeq"/> it appends only if the log ends there (the caller's expected_seq).
    /// It goes out on its own statement and commit, outside group commit; the returned message carries its seq.
    /// </summary>
    public Task<AppendOutcome> AppendAtEndAsync(NewMessage message, long? expectedLastSeq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _statements.AppendAtEndAsync(message, expectedLastSeq, ct);
    }

    /// <summary>The message that carried <paramref name="clientMessageId"/> in the session, if any.</summary>
    public async Task<ChatMessage?> FindByClientMessageIdAsync(string sessionId, string clientMessageId, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand($"select {Columns} from chat_messages where session_id = $1 and client_message_id = $2");
        command.Parameters.Add(Param.Text(sessionId));
        command.Parameters.Add(Param.Text(clientMessageId));
        var messages = await ReadAllAsync(command, ct).ConfigureAwait(false);
        return messages.Count == 0 ? null : messages[0];
    }

    /// <summary>Up to <paramref name="limit"/> messages with seq greater than <paramref name="afterSeq"/>, ascending.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadForwardAsync(string sessionId, long afterSeq, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = _dataSource.CreateCommand(
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
        await using var command = _dataSource.CreateCommand($"""
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
