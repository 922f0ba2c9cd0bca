using System.Buffers;
using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>The events a session publishes, with their payloads written as HTTP clients see them.</summary>
internal static class SessionEvents
{
    /// <summary>The message's event carries the JSON the message is held with: written once, for every reader alike.</summary>
    public static SessionEvent Message(CachedMessage message) =>
        new(message.Message.SessionId, SessionEventKind.Message, message.Message.Seq, message.Json);

    public static SessionEvent Created(ChatSession session) => OfSession(SessionEventKind.Created, session);

    public static SessionEvent Status(ChatSession session) => OfSession(SessionEventKind.Status, session);

    public static SessionEvent ReplyStarted(Reply reply, long lastSeq) =>
        new(reply.SessionId, SessionEventKind.ReplyStarted, lastSeq, JsonSerializer.SerializeToUtf8Bytes(reply, SessionsJsonContext.Default.Reply), reply.Id);

    /// <summary>The payload is <c>{"reply_id":…,"index":…,"text":…}</c>.</summary>
    public static SessionEvent ReplyChunk(string sessionId, string replyId, int index, string text, long lastSeq) =>
        new(sessionId, SessionEventKind.ReplyChunk, lastSeq, Json(w =>
        {
            w.WriteString("reply_id", replyId);
            w.WriteNumber("index", index);
            w.WriteString("text", text);
        }), replyId, index);

    /// <summary>
    /// Seq is the seq of the message the reply ended in, if any, so subscribers get that message first; the chunk index
    /// is the reply's chunk count, so a subscriber short of chunks catches up before it hears of the end.
    /// </summary>
    public static SessionEvent ReplyEnded(Reply reply, int chunkCount, long seq) =>
        new(reply.SessionId, SessionEventKind.ReplyEnded, seq, JsonSerializer.SerializeToUtf8Bytes(reply, SessionsJsonContext.Default.Reply), reply.Id, chunkCount);

    /// <summary>The payload is <c>{"participant_id":…,"typing":true|false}</c>.</summary>
    public static SessionEvent Typing(string sessionId, string participantId, bool typing, long lastSeq) =>
        new(sessionId, SessionEventKind.Typing, lastSeq, Json(w =>
        {
            w.WriteString("participant_id", participantId);
            w.WriteBoolean("typing", typing);
        }));

    /// <summary>The payload is <c>{"agent_id":…,"state":"working"|"idle","delivery_id":…}</c>.</summary>
    public static SessionEvent AgentTurn(string sessionId, string agentId, bool working, Guid deliveryId, long lastSeq) =>
        new(sessionId, SessionEventKind.AgentTurn, lastSeq, Json(w =>
        {
            w.WriteString("agent_id", agentId);
            w.WriteString("state", working ? "working" : "idle");
            w.WriteString("delivery_id", deliveryId);
        }));

    public static SessionEvent Presence(string sessionId, PresenceEntry entry, long lastSeq) =>
        new(sessionId, SessionEventKind.Presence, lastSeq, JsonSerializer.SerializeToUtf8Bytes(entry, SessionsJsonContext.Default.PresenceEntry));

    /// <summary>The metadata of the message an aborted reply's text is kept in: <c>{"reply":{"id":…,"status":"aborted","reason":…}}</c>.</summary>
    public static JsonElement AbortedReplyMetadata(string replyId, string reason)
    {
        using var document = JsonDocument.Parse(Json(w =>
        {
            w.WriteStartObject("reply");
            w.WriteString("id", replyId);
            w.WriteString("status", "aborted");
            w.WriteString("reason", reason);
            w.WriteEndObject();
        }));
        return document.RootElement.Clone();
    }

    private static SessionEvent OfSession(SessionEventKind kind, ChatSession session) =>
        new(session.Id, kind, session.LastSeq, JsonSerializer.SerializeToUtf8Bytes(session, SessionsJsonContext.Default.ChatSession));

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        var output = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }
}
