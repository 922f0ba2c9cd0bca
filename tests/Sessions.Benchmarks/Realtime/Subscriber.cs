using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// One WebSocket connection of the benchmark's client side and its receive loop: a 1 KiB buffer, only the start of
/// each frame parsed (<see cref="FrameReader"/>), the receipt stamped when the frame's last byte is in. It checks that
/// each subscription's seqs come one by one, without gap or repeat.
/// </summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private const int BufferBytes = 1024;
    private static int s_errorsShown;

    private readonly Socket _socket;
    private readonly WebSocket _webSocket;
    private readonly ReceiptLog? _receipts;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private long _lastSeq;

    private Subscriber(Socket socket, WebSocket webSocket, ReceiptLog? receipts)
    {
        _socket = socket;
        _webSocket = webSocket;
        _receipts = receipts;
    }

    /// <summary>Messages received in seq order (one subscription per reading connection).</summary>
    public long Received { get; private set; }

    public long Gaps { get; private set; }

    public long Repeats { get; private set; }

    public long Errors { get; private set; }

    /// <summary>Why the receive loop ended (the server's close, or the failure), if it did.</summary>
    public string? Ended { get; private set; }

    /// <summary>Completes on the first <c>subscribed</c> frame.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Connects; with <paramref name="receipts"/> it reads everything, without it it never reads (a stalled consumer).</summary>
    public static async Task<Subscriber> ConnectAsync(IPEndPoint server, ReceiptLog? receipts, int? receiveBufferBytes, CancellationToken cancellationToken)
    {
        var (socket, webSocket) = await WebSocketDialer.ConnectAsync(server, "/ws", receiveBufferBytes, cancellationToken).ConfigureAwait(false);
        var subscriber = new Subscriber(socket, webSocket, receipts);
        if (receipts is not null)
        {
            subscriber._receiving = subscriber.ReceiveAsync();
        }

        return subscriber;
    }

    /// <summary>Sends <c>subscribe</c> for <paramref name="topic"/>, from <paramref name="afterSeq"/> on, or live when null.</summary>
    public Task SubscribeAsync(string topic, long? afterSeq, CancellationToken cancellationToken) =>
        SendAsync(afterSeq is { } after
            ? $$"""{"type":"subscribe","topic":"{{topic}}","after_seq":{{after}}}"""
            : $$"""{"type":"subscribe","topic":"{{topic}}"}""", cancellationToken);

    /// <summary>A <c>ping</c> frame: on a connection the server has dropped, this fails (the first one may still go out).</summary>
    public Task PingAsync(CancellationToken cancellationToken) => SendAsync("""{"type":"ping"}""", cancellationToken);

    private async Task SendAsync(string json, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _webSocket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[BufferBytes];
        var startOfFrame = true;
        FrameInfo frame = default;
        try
        {
            while (true)
            {
                var result = await _webSocket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Ended = $"closed by the server: {_webSocket.CloseStatus} {_webSocket.CloseStatusDescription}";
                    return;
                }

                if (startOfFrame)
                {
                    frame = FrameReader.Read(buffer.AsSpan(0, result.Count), result.EndOfMessage);
                    if (frame.Kind == FrameKind.Error && Interlocked.Increment(ref s_errorsShown) <= 5)
                    {
                        Console.Error.WriteLine($"  server error frame: {Encoding.UTF8.GetString(buffer, 0, result.Count)}");
                    }
                }

                startOfFrame = result.EndOfMessage;
                if (result.EndOfMessage)
                {
                    OnFrame(frame, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Ended ??= $"failed: {exception.Message}";
        }
        finally
        {
            _subscribed.TrySetException(new IOException($"The connection ended before it was subscribed ({Ended})."));
        }
    }

    private void OnFrame(FrameInfo frame, long now)
    {
        switch (frame.Kind)
        {
            case FrameKind.Message:
                if (frame.Seq == _lastSeq + 1)
                {
                    Received++;
                }
                else if (frame.Seq <= _lastSeq)
                {
                    Repeats++;
                    return;
                }
                else
                {
                    Gaps += frame.Seq - _lastSeq - 1;
                    Received++;
                }

                _lastSeq = frame.Seq;
                if (frame.SentTicks > 0)
                {
                    _receipts!.Add(frame.Round, frame.SentTicks, now);
                }

                break;
            case FrameKind.Subscribed:
                _subscribed.TrySetResult();
                break;
            case FrameKind.Error:
                Errors++;
                _subscribed.TrySetException(new IOException("The server answered the subscription with an error frame."));
                break;
        }
    }

    /// <summary>Ends the connection at once (no close handshake): 20,000 polite closes would only slow the run's end.</summary>
    public async ValueTask DisposeAsync()
    {
        _webSocket.Abort();
        _socket.Dispose();
        await _receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _webSocket.Dispose();
        _sending.Dispose();
    }
}
