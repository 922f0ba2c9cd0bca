using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>The events a session publishes, with their payloads written as HTTP clients see them.</summary>
internal static class SessionEvents
{
    public static SessionEvent Message(ChatMessage message) =>
        new(message.SessionId, SessionEventKind.Message, message.Seq, JsonSerializer.SerializeToUtf8Bytes(message, SessionsJsonContext.Default.ChatMessage));

    public static SessionEvent Created(ChatSession session) => OfSession(SessionEventKind.Created, session);

    public static SessionEvent Status(ChatSession session) => OfSession(SessionEventKind.Status, session);

    private static SessionEvent OfSession(SessionEventKind kind, ChatSession session) =>
        new(session.Id, kind, session.LastSeq, JsonSerializer.SerializeToUtf8Bytes(session, SessionsJsonContext.Default.ChatSession));
}
