using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.RateLimits;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// One WebSocket client: reads its frames (subscribe, unsubscribe, ping, send) one at a time and answers through the
/// connection's queue, so every reply and event leaves in the order it was decided. The protocol is in docs/realtime.md.
/// </summary>
internal sealed partial class WebSocketConnection(
    WebSocket socket,
    RealtimeConnection connection,
    TopicSubscriptions subscriptions,
    GrainCalls calls,
    RealtimeOptions options,
    LimitsOptions limits,
    ILogger logger)
{
    private const int ReceiveBufferBytes = 16 * 1024;
    private readonly Dictionary<string, SessionTopic> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InboxTopic> _inboxes = new(StringComparer.Ordinal);

    // Presence by activity: the sessions whose subscription named a participant_id, heartbeated while frames come in.
    private readonly Dictionary<string, string> _presentAs = new(StringComparer.Ordinal);
    private long _lastHeartbeat = Environment.TickCount64;
    private byte[] _frame = [];

    /// <summary>Takes a permit of the caller's append limit for a <c>send</c> (the same bucket as its HTTP appends).</summary>
    public required Func<RateLimitLease> TryAppendPermit { get; init; }

    /// <summary>Who opened the connection: its frames may use only the caller's sessions, inbox and identity, as over HTTP.</summary>
    public required Caller Caller { get; init; }

    public required SessionMembers Members { get; init; }

    /// <summary>Reads frames until the client closes, the connection ends, or a frame breaks the rules.</summary>
    public async Task<(WebSocketCloseStatus Status, string Reason)?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // An idle connection holds no buffer: a zero-byte read waits for the next frame, and only then is one
                // rented (for 10,000 idle sockets a 64 KiB buffer each was 640 MB of heap, and long GC pauses).
                var next = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                // An empty message ends with the zero-byte read itself.
                var (type, length, tooLarge) = next.EndOfMessage ? (next.MessageType, 0, false) : await ReceiveAsync(cancellationToken).ConfigureAwait(false);
                switch (type)
                {
                    case WebSocketMessageType.Close:
                        return null;
                    case WebSocketMessageType.Binary:
                        return (WebSocketCloseStatus.InvalidMessageType, "Frames are JSON text messages.");
                }

                if (tooLarge)
                {
                    return (WebSocketCloseStatus.MessageTooBig, $"A frame may be at most {options.MaxFrameBytes} bytes.");
                }

                HeartbeatIfDue();
                await HandleAsync(_frame.AsMemory(0, length)).ConfigureAwait(false);
                if (_frame.Length > ReceiveBufferBytes)
                {
                    // A large frame is rare (a big send): do not keep its buffer for the connection's lifetime.
                    _frame = [];
                }
            }
        }
        finally
        {
            foreach (var topic in _topics.Values)
            {
                subscriptions.Unsubscribe(topic);
            }

            foreach (var inbox in _inboxes.Values)
            {
                subscriptions.Unsubscribe(inbox);
            }
        }
    }

    /// <summary>Any frame is a sign of life: at most once per interval, the participants this connection stands for are heartbeated.</summary>
    private void HeartbeatIfDue()
    {
        if (_presentAs.Count == 0 || Environment.TickCount64 - _lastHeartbeat < (long)options.PresenceHeartbeatInterval.TotalMilliseconds)
        {
            return;
        }

        _lastHeartbeat = Environment.TickCount64;
        foreach (var (sessionId, participantId) in _presentAs)
        {
            _ = HeartbeatAsync(sessionId, participantId);
        }
    }

    private async Task HeartbeatAsync(string sessionId, string participantId)
    {
        try
        {
            await calls.Session(sessionId).HeartbeatAsync(participantId).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Presence is best-effort: the next frame beats again.
            LogHeartbeatFailed(logger, exception, sessionId);
        }
    }

    /// <summary>One whole message; a message over the limit is read no further than the limit.</summary>
    private async Task<(WebSocketMessageType Type, int Length, bool TooLarge)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        try
        {
            var length = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (WebSocketMessageType.Close, 0, false);
                }

                if (length + result.Count > options.MaxFrameBytes)
                {
                    return (result.MessageType, 0, true);
                }

                if (_frame.Length < length + result.Count)
                {
                    Array.Resize(ref _frame, Math.Min(options.MaxFrameBytes, Math.Max(_frame.Length * 2, length + result.Count)));
                }

                buffer.AsSpan(0, result.Count).CopyTo(_frame.AsSpan(length));
                length += result.Count;
                if (result.EndOfMessage)
                {
                    return (result.MessageType, length, false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> json)
    {
        ClientFrame frame;
        try
        {
            frame = ClientFrame.Parse(json);
        }
        catch (JsonException exception)
        {
            connection.Enqueue(Frames.Error(null, RealtimeErrors.InvalidFrame, $"The frame is not a JSON object with a string 'type': {exception.Message}", StatusCodes.Status400BadRequest));
            return;
        }

        try
        {
            var reply = frame.Type switch
            {
                "subscribe" => await SubscribeAsync(frame).ConfigureAwait(false),
                "unsubscribe" => Unsubscribe(frame),
                "ping" => Frames.Pong(frame.Id),
                "send" => await SendAsync(frame).ConfigureAwait(false),
                "typing" => await TypingAsync(frame).ConfigureAwait(false),
                "presence" => await PresenceAsync(frame).ConfigureAwait(false),
                _ => Frames.Error(frame.Id, RealtimeErrors.UnknownType, $"Unknown frame type '{frame.Type}'; use subscribe, unsubscribe, ping, send, typing or presence.", StatusCodes.Status400BadRequest),
            };
            if (reply is not null)
            {
                connection.Enqueue(reply);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var error = RealtimeErrors.FromException(frame.Id, exception);
            if (error is null)
            {
                LogFault(logger, exception, frame.Type);
                error = Frames.Error(frame.Id, ProblemCodes.Internal, "An unexpected error occurred. It has been logged.", StatusCodes.Status500InternalServerError);
            }

            connection.Enqueue(error);
        }
    }

    private async Task<ControlFrame?> SubscribeAsync(ClientFrame frame)
    {
        if (!frame.TryGetSeq("after_seq", out var afterSeq, out var seqError))
        {
            return RealtimeErrors.Invalid(frame.Id, "after_seq", seqError);
        }

        var topicName = frame.GetString("topic");
        var isInbox = topicName is not null && topicName.StartsWith(InboxTopic.Prefix, StringComparison.Ordinal);
        if (topicName is null || (!isInbox && !topicName.StartsWith(SessionTopic.Prefix, StringComparison.Ordinal)))
        {
            return Frames.Error(frame.Id, RealtimeErrors.UnknownTopic, "topic must be 'session:{session_id}' or 'inbox:{participant_id}'.", StatusCodes.Status400BadRequest);
        }

        var alreadySubscribed = isInbox
            ? _inboxes.ContainsKey(topicName[InboxTopic.Prefix.Length..])
            : _topics.ContainsKey(topicName[SessionTopic.Prefix.Length..]);
        if (alreadySubscribed)
        {
            return Frames.Error(frame.Id, RealtimeErrors.AlreadySubscribed, $"This connection is already subscribed to {topicName}.", StatusCodes.Status409Conflict);
        }

        if (_topics.Count + _inboxes.Count >= options.MaxSubscriptionsPerConnection)
        {
            return Frames.Error(frame.Id, RealtimeErrors.TooManySubscriptions, $"A connection may hold at most {options.MaxSubscriptionsPerConnection} subscriptions.", StatusCodes.Status400BadRequest);
        }

        if (isInbox)
        {
            return await SubscribeInboxAsync(frame, topicName[InboxTopic.Prefix.Length..]).ConfigureAwait(false);
        }

        var sessionId = topicName[SessionTopic.Prefix.Length..];

        if (!RequestRules.IsValidId(sessionId, limits))
        {
            throw SessionErrors.NotFound(sessionId);
        }

        await Members.RequireAsync(Caller, sessionId).ConfigureAwait(false);

        // Subscribing as a participant makes the connection's activity its presence in the session. Checked first, the
        // heartbeat sent after: the subscriber sees itself come online.
        var participantId = frame.GetString("participant_id");
        if (participantId is not null)
        {
            CallerIdentity.Require(Caller, "participant_id", participantId);
        }

        if (participantId is not null && !(await calls.ReadSessionAsync(sessionId, grain => grain.GetAsync()).ConfigureAwait(false)).HasParticipant(participantId))
        {
            throw new SessionException(SessionErrors.SenderNotParticipant, $"'{participantId}' is not a participant of session '{sessionId}'.");
        }

        _topics.Add(sessionId, await subscriptions.SubscribeAsync(connection, sessionId, afterSeq).ConfigureAwait(false));
        if (participantId is not null)
        {
            _presentAs[sessionId] = participantId;
            await calls.Session(sessionId).HeartbeatAsync(participantId).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary><c>{"type":"typing","session_id":…,"participant_id":…,"typing":true}</c>: no answer unless it fails.</summary>
    private async Task<ControlFrame?> TypingAsync(ClientFrame frame)
    {
        var (sessionId, participantId, error) = await SessionAndParticipantAsync(frame).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (frame.GetBoolean("typing") is not { } typing)
        {
            return RealtimeErrors.Invalid(frame.Id, "typing", "typing is required: true or false.");
        }

        await calls.Session(sessionId!).SetTypingAsync(participantId!, typing).ConfigureAwait(false);
        return null;
    }

    /// <summary><c>{"type":"presence","session_id":…,"participant_id":…}</c>: an explicit heartbeat; no answer unless it fails.</summary>
    private async Task<ControlFrame?> PresenceAsync(ClientFrame frame)
    {
        var (sessionId, participantId, error) = await SessionAndParticipantAsync(frame).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        await calls.Session(sessionId!).HeartbeatAsync(participantId!).ConfigureAwait(false);
        return null;
    }

    private async Task<(string? SessionId, string? ParticipantId, ControlFrame? Error)> SessionAndParticipantAsync(ClientFrame frame)
    {
        var sessionId = frame.GetString("session_id");
        var participantId = frame.GetString("participant_id");
        if (string.IsNullOrEmpty(participantId))
        {
            return (null, null, RealtimeErrors.Invalid(frame.Id, "participant_id", "participant_id is required."));
        }

        if (!RequestRules.IsValidId(sessionId, limits))
        {
            throw SessionErrors.NotFound(sessionId ?? "");
        }

        await Members.RequireAsync(Caller, sessionId).ConfigureAwait(false);
        CallerIdentity.Require(Caller, "participant_id", participantId);
        return (sessionId, participantId, null);
    }

    private async Task<ControlFrame?> SubscribeInboxAsync(ClientFrame frame, string participantId)
    {
        try
        {
            if (!RequestRules.IsValidId(participantId, limits))
            {
                throw new SessionException(SessionErrors.ParticipantNotFound, $"Participant '{participantId}' does not exist.");
            }

            // Only the caller's own inbox, as GET /api/participants/{id}/inbox.
            CallerIdentity.Require(Caller, "topic", participantId);
            _inboxes.Add(participantId, await subscriptions.SubscribeInboxAsync(connection, participantId).ConfigureAwait(false));
            return null;
        }
        catch (SessionException exception) when (exception.Code == SessionErrors.ParticipantNotFound)
        {
            // The participant is what was asked for, as in GET /api/participants/{id}: a 404, not the 422 of a reference.
            return Frames.Error(frame.Id, exception.Code, exception.Message, StatusCodes.Status404NotFound);
        }
    }

    private ControlFrame Unsubscribe(ClientFrame frame)
    {
        var topicName = frame.GetString("topic");
        if (topicName is not null && topicName.StartsWith(InboxTopic.Prefix, StringComparison.Ordinal) && _inboxes.Remove(topicName[InboxTopic.Prefix.Length..], out var inbox))
        {
            subscriptions.Unsubscribe(inbox);
            return Frames.Unsubscribed(inbox.Name);
        }

        var sessionId = topicName is not null && topicName.StartsWith(SessionTopic.Prefix, StringComparison.Ordinal) ? topicName[SessionTopic.Prefix.Length..] : null;
        if (sessionId is null || !_topics.Remove(sessionId, out var topic))
        {
            return Frames.Error(frame.Id, RealtimeErrors.NotSubscribed, $"This connection is not subscribed to '{topicName}'.", StatusCodes.Status400BadRequest);
        }

        subscriptions.Unsubscribe(topic);
        return Frames.Unsubscribed(topic.Name);
    }

    private async Task<ControlFrame> SendAsync(ClientFrame frame)
    {
        var (sessionId, command, errors) = frame.ToAppend();
        if (errors.Any)
        {
            var field = errors.Fields.First();
            return RealtimeErrors.Invalid(frame.Id, field, errors.Summary());
        }

        if (!RequestRules.IsValidId(sessionId, limits))
        {
            throw SessionErrors.NotFound(sessionId!);
        }

        await Members.RequireAsync(Caller, sessionId).ConfigureAwait(false);
        CallerIdentity.Require(Caller, "sender_id", command!.SenderId);
        using (var permit = TryAppendPermit())
        {
            if (!permit.IsAcquired)
            {
                return Frames.RateLimited(frame.Id, RateLimitsExtensions.RetryAfterSeconds(permit));
            }
        }

        // The ack needs the message's place only: the wire-form answer carries it beside the JSON, so nothing is parsed.
        var result = await calls.AppendJsonAsync(sessionId!, command!).ConfigureAwait(false);
        return Frames.Ack(frame.Id, result.Seq, result.MessageId, result.ClientMessageId, result.Created, sessionId!);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A presence heartbeat for session {SessionId} failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A '{FrameType}' frame failed")]
    private static partial void LogFault(ILogger logger, Exception exception, string frameType);
}
