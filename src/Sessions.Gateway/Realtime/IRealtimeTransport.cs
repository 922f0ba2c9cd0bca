namespace Sessions.Gateway.Realtime;

/// <summary>How frames reach one client: WebSocket text messages, or Server-Sent Events.</summary>
internal interface IRealtimeTransport
{
    /// <summary>A committed message of <paramref name="topic"/> (its JSON as the HTTP API renders it).</summary>
    ValueTask WriteMessageAsync(SessionTopic topic, long seq, ReadOnlyMemory<byte> messageJson, CancellationToken cancellationToken);

    /// <summary>
    /// Another event of <paramref name="topic"/> (<c>status</c>, <c>reply_chunk</c>, ...; see <see cref="EventTypes"/>), its
    /// payload under <paramref name="property"/> in a WebSocket frame.
    /// </summary>
    ValueTask WriteEventAsync(SessionTopic topic, string type, string property, ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken);

    ValueTask WriteControlAsync(ControlFrame frame, CancellationToken cancellationToken);

    /// <summary>Sent when nothing else was for a while, so the client can tell a live connection from a dead one.</summary>
    ValueTask WriteHeartbeatAsync(CancellationToken cancellationToken);
}
