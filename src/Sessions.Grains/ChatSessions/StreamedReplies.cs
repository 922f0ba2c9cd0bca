using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Storage.Replies;

namespace Sessions.Grains;

/// <summary>
/// A session's streamed replies. Chunks live here, in memory, until the reply ends: subscribers get each live and, when
/// they join mid-stream, all so far (<see cref="List"/>). A reply ends in one ordinary message — completed, with the
/// author's content, or aborted (stopped, abandoned, interrupted) with the text so far — appended through the session
/// under the client_message_id <c>reply:{id}</c>, which makes finishing idempotent. Each reply has a row in
/// <c>chat_replies</c> from start to end, checkpointed with its text (<see cref="TendAsync"/>), so a reply whose silo
/// died is ended on the session's next activation (<see cref="EndOrphansAsync"/>).
/// One per activation of the session's grain, and called only in its turns: nothing here is shared between threads.
/// Who may act on the session (membership, the session's status) is the grain's check, made before it calls in here.
/// </summary>
internal sealed partial class StreamedReplies(
    IReplySession session, ReplyStore store, LimitsOptions limits, TimeSpan idleTimeout, TimeProvider time, ILogger logger)
{
    // Ended replies are kept with their chunks for a while: a subscriber that saw one in flight and missed its last
    // chunks (events overtaken by a renewal's answer, or lost) still gets every chunk before the end.
    private const int RecentlyEndedKept = 8;

    /// <summary>Room left in a reply's content for <c>{"text":""}</c> around its text.</summary>
    private const int ReplyEnvelopeBytes = 16;

    private readonly List<InFlightReply> _inFlight = [];
    private readonly Queue<Reply> _recentlyEnded = new();

    /// <summary>Whether some reply is streaming: it needs tending, and it keeps the session from going idle.</summary>
    public bool AnyInFlight => _inFlight.Count > 0;

    /// <summary>The client_message_id of the message a reply ends in.</summary>
    public static string MessageId(string replyId) => "reply:" + replyId;

    /// <summary>Opens a reply, or answers again for one already opened under the same id by the same sender.</summary>
    public async Task<Reply> StartAsync(StartReplyCommand command)
    {
        var kind = string.IsNullOrEmpty(command.Kind) ? "text" : command.Kind;
        MessageValidator.RequireName("kind", kind, limits);
        MessageValidator.RequireMetadata("metadata", command.Metadata, limits);
        MessageValidator.RequireToken("reply_id", command.ReplyId, limits);
        if (command.ReplyId is { } requested && (FindInFlight(requested) is { } inFlight ? inFlight.ToReply() : FindEnded(requested)) is { } known)
        {
            return known.SenderId == command.SenderId
                ? known
                : throw SessionErrors.Invalid("reply_id", $"Reply '{requested}' belongs to another sender.");
        }

        if (_inFlight.Count >= limits.MaxRepliesInFlight)
        {
            throw new SessionException(SessionErrors.ReplyLimit, $"Session '{session.Id}' already has {_inFlight.Count} replies in flight; the limit is {limits.MaxRepliesInFlight}.");
        }

        var reply = new InFlightReply(command.ReplyId ?? Guid.CreateVersion7().ToString("N"), session.Id, command.SenderId, kind, command.Metadata, time.GetUtcNow());
        if (!await store.TryInsertAsync(new StoredReply(session.Id, reply.Id, reply.SenderId, kind, command.Metadata, "", 0, reply.StartedAt), CancellationToken.None))
        {
            throw SessionErrors.Invalid("reply_id", $"Reply id '{reply.Id}' was already used in session '{session.Id}'.");
        }

        _inFlight.Add(reply);
        session.Publish(SessionEvents.ReplyStarted(reply.ToReply(), session.LastSeq));
        return reply.ToReply();
    }

    public ChunkAck AppendChunk(string replyId, AppendChunkCommand command)
    {
        var reply = RequireInFlight(replyId);
        if (command.SenderId != reply.SenderId)
        {
            throw new SessionException(SessionErrors.NotReplyAuthor, $"Only '{reply.SenderId}', who opened reply '{replyId}', may add to it.");
        }

        if (string.IsNullOrEmpty(command.Text) || !StorableText.IsStorable(command.Text))
        {
            throw SessionErrors.Invalid("text", "text must be a non-empty string without NUL characters or unpaired surrogates.");
        }

        var next = reply.Chunks.Count;
        if (command.Index is { } index && index != next)
        {
            // A resent chunk that was stored already is acknowledged again; anything else is out of order.
            return index >= 0 && index < next && reply.Chunks[index] == command.Text
                ? new ChunkAck(replyId, index)
                : throw new SessionException(
                    SessionErrors.ChunkConflict,
                    index > next ? $"Chunk {index} of reply '{replyId}' comes before chunk {next}." : $"Chunk {index} of reply '{replyId}' is stored with other text.",
                    new Dictionary<string, string> { ["next_index"] = next.ToString(CultureInfo.InvariantCulture) });
        }

        var bytes = Encoding.UTF8.GetByteCount(command.Text);
        if (bytes > limits.MaxChunkBytes || next >= limits.MaxChunksPerReply || reply.TextBytes + bytes > limits.MaxContentBytes - ReplyEnvelopeBytes)
        {
            throw new SessionException(
                SessionErrors.ReplyLimit,
                $"A chunk may have at most {limits.MaxChunkBytes} bytes, a reply at most {limits.MaxChunksPerReply} chunks and "
                + $"{limits.MaxContentBytes - ReplyEnvelopeBytes} bytes of text; finish it and start another.");
        }

        reply.Add(command.Text, bytes, time.GetUtcNow());
        session.Publish(SessionEvents.ReplyChunk(session.Id, replyId, next, command.Text, session.LastSeq));
        return new ChunkAck(replyId, next);
    }

    public async Task<AppendResult> FinishAsync(string replyId, FinishReplyCommand command)
    {
        if (FindInFlight(replyId) is not { } reply)
        {
            // Finished before (the answer got lost): the message it ended in is the answer again.
            return await session.FindMessageAsync(MessageId(replyId)) is { } message && message.SenderId == command.SenderId
                ? new AppendResult(message, Created: false)
                : throw ReplyGone(replyId);
        }

        if (command.SenderId != reply.SenderId)
        {
            throw new SessionException(SessionErrors.NotReplyAuthor, $"Only '{reply.SenderId}', who opened reply '{replyId}', may finish it.");
        }

        var content = command.Content ?? InFlightReply.TextContent(reply.Text());
        var result = await session.AppendAsync(new AppendMessageCommand(reply.SenderId, reply.Kind, content, command.Metadata ?? reply.Metadata, MessageId(replyId), null));
        await EndAsync(reply, ReplyStatus.Completed, result.Message.Seq, null);
        return result;
    }

    /// <summary>Stops a reply in flight (its text so far kept as a message), or answers again for one that ended.</summary>
    public async Task<Reply> StopAsync(string replyId, string? reason)
    {
        if (FindInFlight(replyId) is { } reply)
        {
            return await AbortAsync(reply, reason ?? "stopped");
        }

        return FindEnded(replyId) is { } ended ? ended with { Chunks = [] } : throw ReplyGone(replyId);
    }

    /// <summary>The replies in flight, then the recently ended ones, newest first.</summary>
    public IReadOnlyList<Reply> List() => [.. _inFlight.Select(r => r.ToReply()), .. _recentlyEnded.Reverse()];

    /// <summary>Ends every reply in flight without a message: the session takes none any more (<paramref name="reason"/> says why).</summary>
    public async Task EndAllAsync(string reason)
    {
        foreach (var reply in _inFlight.ToList())
        {
            await EndAsync(reply, ReplyStatus.Aborted, null, reason);
        }
    }

    /// <summary>
    /// Ends every reply in flight as <c>interrupted</c>, keeping its text, when the activation that holds the chunks goes
    /// away. A reply whose text cannot be kept is left to the next activation, which finds its row.
    /// </summary>
    public async Task InterruptAllAsync()
    {
        foreach (var reply in _inFlight.ToList())
        {
            try
            {
                await AbortAsync(reply, "interrupted");
            }
            catch (Exception exception) when (exception is SessionException or Npgsql.NpgsqlException or TimeoutException)
            {
                LogOrphanNotKept(logger, exception, session.Id, reply.Id);
            }
        }
    }

    /// <summary>
    /// On activation: replies that still have a row were in flight when the previous activation was lost. Each is ended
    /// as aborted (<c>interrupted</c>) with the text of its last checkpoint, unless its message made it to the log.
    /// </summary>
    public async Task EndOrphansAsync()
    {
        foreach (var orphan in await store.ListAsync(session.Id, CancellationToken.None))
        {
            var reply = new InFlightReply(orphan.ReplyId, session.Id, orphan.SenderId, orphan.Kind, orphan.Metadata, orphan.StartedAt);
            if (await session.FindMessageAsync(MessageId(orphan.ReplyId)) is { } message)
            {
                await EndAsync(reply, ReplyStatus.Completed, message.Seq, null);
                continue;
            }

            if (orphan.Text.Length > 0)
            {
                reply.Add(orphan.Text, orphan.Text.Length, orphan.StartedAt);
            }

            try
            {
                await AbortAsync(reply, "interrupted");
            }
            catch (SessionException exception)
            {
                LogOrphanNotKept(logger, exception, session.Id, orphan.ReplyId);
                await EndAsync(reply, ReplyStatus.Aborted, null, "interrupted");
            }
        }
    }

    /// <summary>Saves the text of replies that grew since the last checkpoint, and ends those that went silent.</summary>
    public async Task TendAsync()
    {
        var now = time.GetUtcNow();
        var grown = _inFlight.Where(r => r.Chunks.Count != r.CheckpointedChunks).ToList();
        if (grown.Count > 0)
        {
            await store.CheckpointAsync(session.Id, [.. grown.Select(r => (r.Id, r.Text(), r.Chunks.Count))], CancellationToken.None);
            foreach (var reply in grown)
            {
                reply.CheckpointedChunks = reply.Chunks.Count;
            }
        }

        foreach (var silent in _inFlight.Where(r => now - r.LastActivity > idleTimeout).ToList())
        {
            await AbortAsync(silent, "abandoned");
        }
    }

    /// <summary>Ends <paramref name="reply"/> early, keeping its text so far as a message when the session still takes one.</summary>
    private async Task<Reply> AbortAsync(InFlightReply reply, string reason)
    {
        long? seq = null;
        var text = reply.Text();
        if (text.Length > 0 && session.AcceptsMessages)
        {
            var metadata = SessionEvents.AbortedReplyMetadata(reply.Id, reason);
            var result = await session.AppendAsync(new AppendMessageCommand(reply.SenderId, reply.Kind, InFlightReply.TextContent(text), metadata, MessageId(reply.Id), null));
            seq = result.Message.Seq;
        }

        return await EndAsync(reply, ReplyStatus.Aborted, seq, reason);
    }

    private async Task<Reply> EndAsync(InFlightReply reply, ReplyStatus status, long? messageSeq, string? reason)
    {
        _inFlight.Remove(reply);
        var ended = reply.ToReply() with { Status = status, EndedAt = time.GetUtcNow(), MessageSeq = messageSeq, EndReason = reason };
        RememberEnded(ended);
        ended = ended with { Chunks = [] };
        try
        {
            await store.DeleteAsync(session.Id, reply.Id, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not SessionException)
        {
            // The row outlives the reply; the next activation finds its message (or none) and removes it.
            LogReplyRowKept(logger, exception, session.Id, reply.Id);
        }

        session.Publish(SessionEvents.ReplyEnded(ended, reply.Chunks.Count, messageSeq ?? session.LastSeq));
        return ended;
    }

    private InFlightReply? FindInFlight(string replyId) => _inFlight.Find(r => r.Id == replyId);

    private Reply? FindEnded(string replyId) => _recentlyEnded.FirstOrDefault(r => r.Id == replyId);

    private InFlightReply RequireInFlight(string replyId) => FindInFlight(replyId) ?? throw ReplyGone(replyId);

    private SessionException ReplyGone(string replyId) => FindEnded(replyId) is { } ended
        ? new SessionException(SessionErrors.ReplyEnded, $"Reply '{replyId}' has ended ({(ended.Status == ReplyStatus.Completed ? "completed" : "aborted")}).")
        : new SessionException(SessionErrors.ReplyNotFound, $"Session '{session.Id}' has no reply '{replyId}' in flight.");

    private void RememberEnded(Reply ended)
    {
        _recentlyEnded.Enqueue(ended);
        while (_recentlyEnded.Count > RecentlyEndedKept)
        {
            _recentlyEnded.Dequeue();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: reply {ReplyId} ended, but its row could not be deleted")]
    private static partial void LogReplyRowKept(ILogger logger, Exception exception, string sessionId, string replyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session {SessionId}: the text of interrupted reply {ReplyId} could not be kept")]
    private static partial void LogOrphanNotKept(ILogger logger, Exception exception, string sessionId, string replyId);
}
