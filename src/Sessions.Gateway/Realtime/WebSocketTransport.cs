using System.Buffers;
using System.Net.WebSockets;

namespace Sessions.Gateway.Realtime;

/// <summary>Frames as WebSocket text messages, one JSON object each. Used by the connection's writer only.</summary>
internal sealed class WebSocketTransport(WebSocket socket) : IRealtimeTransport
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public ValueTask WriteMessageAsync(SessionTopic topic, long seq, ReadOnlyMemory<byte> messageJson, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        Frames.WriteMessage(_buffer, topic.Name, seq, messageJson.Span);
        return SendAsync(_buffer.WrittenMemory, cancellationToken);
    }

    public ValueTask WriteEventAsync(SessionTopic topic, string type, string property, ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        Frames.WriteEvent(_buffer, type, topic.Name, property, payloadJson.Span);
        return SendAsync(_buffer.WrittenMemory, cancellationToken);
    }

    public ValueTask WriteControlAsync(ControlFrame frame, CancellationToken cancellationToken) => SendAsync(frame.Json, cancellationToken);

    public ValueTask WriteHeartbeatAsync(CancellationToken cancellationToken) => SendAsync(Frames.Heartbeat.Json, cancellationToken);

    private ValueTask SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
}
