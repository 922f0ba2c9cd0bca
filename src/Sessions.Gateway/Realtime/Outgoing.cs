using Sessions.Abstractions;

namespace Sessions.Gateway.Realtime;

/// <summary>What waits in a connection's outgoing queue. Only the connection's writer acts on it, one item at a time.</summary>
internal abstract record Outgoing;

/// <summary>
/// A frame written whole beforehand: the protocol's own (subscribed, ack, pong, error...) and inbox frames. As a
/// Server-Sent Event it is <c>event: {Type}</c>, with <c>id: {Id}</c> when it has one.
/// </summary>
internal sealed record ControlFrame(string Type, byte[] Json, string? Id = null) : Outgoing;

/// <summary>An event of a subscribed session, as its feed received it.</summary>
internal sealed record TopicEvent(SessionTopic Topic, SessionEvent Event) : Outgoing;

/// <summary>The session's log reaches <paramref name="LastSeq"/>: deliver whatever is missing up to it.</summary>
internal sealed record TopicHead(SessionTopic Topic, long LastSeq) : Outgoing;

/// <summary>A subscription begins: send its confirmation, then the replay up to <paramref name="LastSeq"/>.</summary>
internal sealed record TopicStart(SessionTopic Topic, ControlFrame Subscribed, long LastSeq) : Outgoing;

/// <summary>A change of a subscribed inbox.</summary>
internal sealed record InboxChange(InboxTopic Topic, InboxDelta Delta) : Outgoing;

/// <summary>
/// A whole inbox: the first thing a subscription gets (with its confirmation), or a resync; a <paramref name="Repair"/>
/// goes out even at a version the client has (a delta below it never came).
/// </summary>
internal sealed record InboxSnapshotOut(InboxTopic Topic, InboxSnapshot Snapshot, ControlFrame? Subscribed, bool Repair = false) : Outgoing;

/// <summary>The connection has been silent for a heartbeat interval: say something.</summary>
internal sealed record HeartbeatDue : Outgoing
{
    public static readonly HeartbeatDue Instance = new();
}
