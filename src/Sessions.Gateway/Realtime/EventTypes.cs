using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>The names a session event goes by on the wire: the frame (or SSE event) type, and the property of its payload.</summary>
internal static class EventTypes
{
    public static (string Type, string Property) Of(SessionEventKind kind) => kind switch
    {
        SessionEventKind.Message => ("message", "message"),
        SessionEventKind.Created => ("created", "session"),
        SessionEventKind.Status => ("status", "session"),
        SessionEventKind.ReplyStarted => ("reply_started", "reply"),
        SessionEventKind.ReplyChunk => ("reply_chunk", "chunk"),
        SessionEventKind.ReplyEnded => ("reply_ended", "reply"),
        SessionEventKind.Typing => ("typing", "typing"),
        SessionEventKind.Presence => ("presence", "presence"),
        SessionEventKind.AgentTurn => ("agent_turn", "agent_turn"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An event kind this gateway does not know."),
    };
}
