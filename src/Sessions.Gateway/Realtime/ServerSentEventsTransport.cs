using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sessions.Gateway.Realtime;

/// <summary>
/// Frames as Server-Sent Events. A message is <c>id: {seq}</c>, <c>event: message</c> and its JSON as data, so the
/// browser's <c>Last-Event-ID</c> is the resume cursor; other events carry no id, and keep it. Heartbeats are comments.
/// </summary>
internal sealed class ServerSentEventsTransport(HttpResponse response) : IRealtimeTransport
{
    private static readonly byte[] HeartbeatComment = ": heartbeat\n\n"u8.ToArray();

    public async ValueTask WriteMessageAsync(SessionTopic topic, long seq, ReadOnlyMemory<byte> messageJson, CancellationToken cancellationToken)
    {
        Write($"id: {seq}\nevent: message\ndata: ");
        Write(messageJson.Span);
        Write("\n\n");
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteEventAsync(SessionTopic topic, string type, string property, ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken)
    {
        Write($"event: {type}\ndata: ");
        Write(payloadJson.Span);
        Write("\n\n");
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteControlAsync(ControlFrame frame, CancellationToken cancellationToken)
    {
        Write(frame.Id is null ? $"event: {frame.Type}\ndata: " : $"id: {frame.Id}\nevent: {frame.Type}\ndata: ");
        Write(frame.Json);
        Write("\n\n");
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteHeartbeatAsync(CancellationToken cancellationToken)
    {
        Write(HeartbeatComment);
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream's last event, when the server ends it: <c>event: close</c>, <c>data: {"type":"close","reason":…}</c>.</summary>
    public async ValueTask WriteCloseAsync(string reason, CancellationToken cancellationToken)
    {
        await WriteControlAsync(Frames.Close(reason), cancellationToken).ConfigureAwait(false);
    }

    // Payloads are compact JSON (no raw newlines), so each fits on one data line.
    private void Write(ReadOnlySpan<byte> bytes) => response.BodyWriter.Write(bytes);

    private void Write(string text) => Encoding.UTF8.GetBytes(text, response.BodyWriter);
}
