namespace Sessions.Gateway.Realtime;

/// <summary>How frames reach one client: WebSocket text messages, or Server-Sent Events.</summary>
internal interface IRealtimeTransport
{
    /// <summary>A committed message of <paramref name="topic"/> (its JSON as the HTTP API renders it).</summary>
    ValueTask WriteMessageAsync(SessionTopic topic, long seq, ReadOnlyMemory<byte> messageJson, CancellationToken cancellationToken);

    /// <summary>Another event of <paramref name="topic"/>: <paramref name="type"/> is <c>created</c> or <c>status</c>, the payload the session.</summary>
    ValueTask WriteEventAsync(SessionTopic topic, string type, ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken);

    ValueTask WriteControlAsync(ControlFrame frame, CancellationToken cancellationToken);

    /// <summary>Sent when nothing else was for a while, so the client can tell a live connection from a dead one.</summary>
    ValueTask WriteHeartbeatAsync(CancellationToken cancellationToken);
}
