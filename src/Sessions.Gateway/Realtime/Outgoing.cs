using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>What waits in a connection's outgoing queue. Only the connection's writer acts on it, one item at a time.</summary>
internal abstract record Outgoing;

/// <summary>A frame of the protocol itself (subscribed, ack, pong, error...), already written as JSON.</summary>
internal sealed record ControlFrame(string Type, byte[] Json) : Outgoing;

/// <summary>An event of a subscribed session, as its feed received it.</summary>
internal sealed record TopicEvent(SessionTopic Topic, SessionEvent Event) : Outgoing;

/// <summary>The session's log reaches <paramref name="LastSeq"/>: deliver whatever is missing up to it.</summary>
internal sealed record TopicHead(SessionTopic Topic, long LastSeq) : Outgoing;

/// <summary>A subscription begins: send its confirmation, then the replay up to <paramref name="LastSeq"/>.</summary>
internal sealed record TopicStart(SessionTopic Topic, ControlFrame Subscribed, long LastSeq) : Outgoing;
