using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Storage.Replies;

namespace Sessions.Grains;

/// <summary>
/// Streamed replies. Chunks live here, in memory, until the reply ends: subscribers get each live and, when they join
/// mid-stream, all so far (<see cref="ListRepliesAsync"/>). A reply ends in one ordinary message — completed, with the
/// author's content, or aborted (stopped, abandoned, interrupted) with the text so far — appended under the
/// client_message_id <c>reply:{id}</c>, which makes finishing idempotent. Each reply has a row in <c>chat_replies</c>
/// from start to end, checkpointed with its text, so a reply whose silo died is ended on the session's next activation.
/// </summary>
public sealed partial class ChatSessionGrain
{
    // Ended replies are kept with their chunks for a while: a subscriber that saw one in flight and missed its last
    // chunks (events overtaken by a renewal's answer, or lost) still gets every chunk before the end.
    private const int RecentlyEndedKept = 8;

    private readonly List<InFlightReply> _replies = [];
    private readonly Queue<Reply> _recentlyEnded = new();

    public async Task<Reply> StartReplyAsync(StartReplyCommand command)
    {
        var session = RequireSession();
        MessageValidator.RequireStorable("sender_id", command.SenderId);
        RequireMember(command.SenderId, "sender_id");
        RequireWritable(session);
        var kind = string.IsNullOrEmpty(command.Kind) ? "text" : command.Kind;
        MessageValidator.RequireName("kind", kind, _limits);
        MessageValidator.RequireMetadata("metadata", command.Metadata, _limits);
        MessageValidator.RequireToken("reply_id", command.ReplyId, _limits);
        if (command.ReplyId is { } requested && (FindInFlight(requested) is { } inFlight ? inFlight.ToReply() : FindEnded(requested)) is { } known)
        {
            return known.SenderId == command.SenderId
                ? known
                : throw SessionErrors.Invalid("reply_id", $"Reply '{requested}' belongs to another sender.");
        }

        if (_replies.Count >= _limits.MaxRepliesInFlight)
        {
            throw new SessionException(SessionErrors.ReplyLimit, $"Session '{Id}' already has {_replies.Count} replies in flight; the limit is {_limits.MaxRepliesInFlight}.");
        }

        var reply = new InFlightReply(command.ReplyId ?? Guid.CreateVersion7().ToString("N"), Id, command.SenderId, kind, command.Metadata, DateTimeOffset.UtcNow);
        if (!await _replyStore.TryInsertAsync(new StoredReply(Id, reply.Id, reply.SenderId, kind, command.Metadata, "", 0, reply.StartedAt), CancellationToken.None))
        {
            throw SessionErrors.Invalid("reply_id", $"Reply id '{reply.Id}' was already used in session '{Id}'.");
        }

        _replies.Add(reply);
        EnsureHousekeeping();
        Publish(SessionEvents.ReplyStarted(reply.ToReply(), session.LastSeq));
        return reply.ToReply();
    }

    public Task<ChunkAck> AppendChunkAsync(string replyId, AppendChunkCommand command)
    {
        var session = RequireSession();
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
                ? Task.FromResult(new ChunkAck(replyId, index))
                : throw new SessionException(
                    SessionErrors.ChunkConflict,
                    index > next ? $"Chunk {index} of reply '{replyId}' comes before chunk {next}." : $"Chunk {index} of reply '{replyId}' is stored with other text.",
                    new Dictionary<string, string> { ["next_index"] = next.ToString(CultureInfo.InvariantCulture) });
        }

        var bytes = Encoding.UTF8.GetByteCount(command.Text);
        if (bytes > _limits.MaxChunkBytes || next >= _limits.MaxChunksPerReply || reply.TextBytes + bytes > _limits.MaxContentBytes - ReplyEnvelopeBytes)
        {
            throw new SessionException(
                SessionErrors.ReplyLimit,
                $"A chunk may have at most {_limits.MaxChunkBytes} bytes, a reply at most {_limits.MaxChunksPerReply} chunks and "
                + $"{_limits.MaxContentBytes - ReplyEnvelopeBytes} bytes of text; finish it and start another.");
        }

        reply.Add(command.Text, bytes, DateTimeOffset.UtcNow);
        Publish(SessionEvents.ReplyChunk(Id, replyId, next, command.Text, session.LastSeq));
        return Task.FromResult(new ChunkAck(replyId, next));
    }

    public async Task<AppendResult> FinishReplyAsync(string replyId, FinishReplyCommand command)
    {
        RequireSession();
        if (FindInFlight(replyId) is not { } reply)
        {
            // Finished before (the answer got lost): the message it ended in is the answer again.
            return await FindReplayAsync(ReplyMessageId(replyId)) is { } message && message.SenderId == command.SenderId
                ? new AppendResult(message, Created: false)
                : throw ReplyGone(replyId);
        }

        if (command.SenderId != reply.SenderId)
        {
            throw new SessionException(SessionErrors.NotReplyAuthor, $"Only '{reply.SenderId}', who opened reply '{replyId}', may finish it.");
        }

        var content = command.Content ?? InFlightReply.TextContent(reply.Text());
        var result = await AppendAsync(new AppendMessageCommand(reply.SenderId, reply.Kind, content, command.Metadata ?? reply.Metadata, ReplyMessageId(replyId), null));
        await EndReplyAsync(reply, ReplyStatus.Completed, result.Message.Seq, null);
        return result;
    }

    public async Task<Reply> StopReplyAsync(string replyId, StopReplyCommand command)
    {
        RequireSession();
        RequireMember(command.ParticipantId, "participant_id");
        MessageValidator.RequireToken("reason", command.Reason, _limits);
        if (FindInFlight(replyId) is { } reply)
        {
            return await AbortReplyAsync(reply, command.Reason ?? "stopped");
        }

        return FindEnded(replyId) is { } ended ? ended with { Chunks = [] } : throw ReplyGone(replyId);
    }

    public Task<IReadOnlyList<Reply>> ListRepliesAsync()
    {
        RequireSession();
        IReadOnlyList<Reply> replies = [.. _replies.Select(r => r.ToReply()), .. _recentlyEnded.Reverse()];
        return Task.FromResult(replies);
    }

    /// <summary>Room left in a reply's content for <c>{"text":""}</c> around its text.</summary>
    private const int ReplyEnvelopeBytes = 16;

    private static string ReplyMessageId(string replyId) => "reply:" + replyId;

    /// <summary>Ends <paramref name="reply"/> early, keeping its text so far as a message when the session still takes one.</summary>
    private async Task<Reply> AbortReplyAsync(InFlightReply reply, string reason)
    {
        long? seq = null;
        var text = reply.Text();
        if (text.Length > 0 && SessionStatusTransitions.AcceptsMessages(RequireSession().Status))
        {
            var metadata = SessionEvents.AbortedReplyMetadata(reply.Id, reason);
            var result = await AppendAsync(new AppendMessageCommand(reply.SenderId, reply.Kind, InFlightReply.TextContent(text), metadata, ReplyMessageId(reply.Id), null));
            seq = result.Message.Seq;
        }

        return await EndReplyAsync(reply, ReplyStatus.Aborted, seq, reason);
    }

    private async Task<Reply> EndReplyAsync(InFlightReply reply, ReplyStatus status, long? messageSeq, string? reason)
    {
        _replies.Remove(reply);
        var ended = reply.ToReply() with { Status = status, EndedAt = DateTimeOffset.UtcNow, MessageSeq = messageSeq, EndReason = reason };
        RememberEnded(ended);
        ended = ended with { Chunks = [] };
        try
        {
            await _replyStore.DeleteAsync(Id, reply.Id, CancellationToken.None);
        }
        catch (Exception exception) when (exception is not SessionException)
        {
            // The row outlives the reply; the next activation finds its message (or none) and removes it.
            LogReplyRowKept(_logger, exception, Id, reply.Id);
        }

        Publish(SessionEvents.ReplyEnded(ended, reply.Chunks.Count, messageSeq ?? RequireSession().LastSeq));
        return ended;
    }

    /// <summary>
    /// On activation: replies that still have a row were in flight when the previous activation was lost. Each is ended
    /// as aborted (<c>interrupted</c>) with the text of its last checkpoint, unless its message made it to the log.
    /// </summary>
    private async Task EndOrphanedRepliesAsync()
    {
        if (_session is null)
        {
            return;
        }

        foreach (var orphan in await _replyStore.ListAsync(Id, CancellationToken.None))
        {
            var reply = new InFlightReply(orphan.ReplyId, Id, orphan.SenderId, orphan.Kind, orphan.Metadata, orphan.StartedAt);
            if (await FindReplayAsync(ReplyMessageId(orphan.ReplyId)) is { } message)
            {
                await EndReplyAsync(reply, ReplyStatus.Completed, message.Seq, null);
                continue;
            }

            if (orphan.Text.Length > 0)
            {
                reply.Add(orphan.Text, orphan.Text.Length, orphan.StartedAt);
            }

            try
            {
                await AbortReplyAsync(reply, "interrupted");
            }
            catch (SessionException exception)
            {
                LogOrphanNotKept(_logger, exception, Id, orphan.ReplyId);
                await EndReplyAsync(reply, ReplyStatus.Aborted, null, "interrupted");
            }
        }
    }

    /// <summary>Saves the text of replies that grew since the last checkpoint, and ends those that went silent.</summary>
    private async Task TendRepliesAsync(DateTimeOffset now)
    {
        var grown = _replies.Where(r => r.Chunks.Count != r.CheckpointedChunks).ToList();
        if (grown.Count > 0)
        {
            await _replyStore.CheckpointAsync(Id, [.. grown.Select(r => (r.Id, r.Text(), r.Chunks.Count))], CancellationToken.None);
            foreach (var reply in grown)
            {
                reply.CheckpointedChunks = reply.Chunks.Count;
            }
        }

        foreach (var silent in _replies.Where(r => now - r.LastActivity > _options.ReplyIdleTimeout).ToList())
        {
            await AbortReplyAsync(silent, "abandoned");
        }
    }

    private InFlightReply? FindInFlight(string replyId) => _replies.Find(r => r.Id == replyId);

    private Reply? FindEnded(string replyId) => _recentlyEnded.FirstOrDefault(r => r.Id == replyId);

    private InFlightReply RequireInFlight(string replyId) => FindInFlight(replyId) ?? throw ReplyGone(replyId);

    private SessionException ReplyGone(string replyId) => FindEnded(replyId) is { } ended
        ? new SessionException(SessionErrors.ReplyEnded, $"Reply '{replyId}' has ended ({(ended.Status == ReplyStatus.Completed ? "completed" : "aborted")}).")
        : new SessionException(SessionErrors.ReplyNotFound, $"Session '{Id}' has no reply '{replyId}' in flight.");

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
