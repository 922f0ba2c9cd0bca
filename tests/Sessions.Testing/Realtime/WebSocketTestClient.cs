using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Sessions.Testing.Realtime;

/// <summary>
/// A WebSocket client of <c>/ws</c> for tests: frames are read in the background into a queue and taken in order with
/// a deadline; the close the server sent (status and reason) is kept.
/// </summary>
public sealed class WebSocketTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _receiving;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    private WebSocketTestClient(ClientWebSocket socket, bool read)
    {
        _socket = socket;
        _receiving = read ? ReceiveAllAsync() : Task.CompletedTask;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseReason => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <summary>
    /// Connects to <c>/ws</c> of the gateway at <paramref name="httpBase"/> with <paramref name="token"/> (default: the
    /// tests' admin key; null sends none) in the Authorization header, or as <c>?access_token=</c> with
    /// <paramref name="tokenInQuery"/>, as a browser must; with <paramref name="read"/> false nothing is ever read (a slow
    /// consumer). <paramref name="configure"/> may set more options (headers, for example).
    /// </summary>
    public static async Task<WebSocketTestClient> ConnectAsync(
        Uri httpBase,
        bool read = true,
        int receiveBufferSize = 16 * 1024,
        string? token = TestCredentials.AdminKey,
        bool tokenInQuery = false,
        Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = Create(receiveBufferSize, token, tokenInQuery);
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(Address(httpBase, token, tokenInQuery), timeout.Token);
        return new WebSocketTestClient(socket, read);
    }

    /// <summary>Tries to connect and expects the server to refuse the upgrade; returns the HTTP status and headers it answered with.</summary>
    public static async Task<(System.Net.HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> RefusedAsync(
        Uri httpBase, string? token, bool tokenInQuery = false)
    {
        using var socket = Create(16 * 1024, token, tokenInQuery);
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await socket.ConnectAsync(Address(httpBase, token, tokenInQuery), timeout.Token);
        }
        catch (WebSocketException)
        {
            return (socket.HttpStatusCode, socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>());
        }

        throw new InvalidOperationException("The server accepted the WebSocket it was expected to refuse.");
    }

    private static ClientWebSocket Create(int receiveBufferSize, string? token, bool tokenInQuery)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetBuffer(receiveBufferSize, 16 * 1024);
        if (token is not null && !tokenInQuery)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        }

        return socket;
    }

    private static Uri Address(Uri httpBase, string? token, bool tokenInQuery) => new UriBuilder(httpBase)
    {
        Scheme = httpBase.Scheme == "https" ? "wss" : "ws",
        Path = "/ws",
        Query = token is not null && tokenInQuery ? $"access_token={Uri.EscapeDataString(token)}" : "",
    }.Uri;

    public Task SendAsync(string json) => SendRawAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    public Task SendAsync(object frame) => SendAsync(JsonSerializer.Serialize(frame));

    /// <summary>One text message sent as <paramref name="pieces"/> WebSocket frames (continuation frames after the first).</summary>
    public async Task SendFragmentedAsync(string json, int pieces)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var bytes = Encoding.UTF8.GetBytes(json);
        var size = (bytes.Length + pieces - 1) / pieces;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var end = Math.Min(bytes.Length, offset + size);
            await _socket.SendAsync(bytes.AsMemory(offset, end - offset), WebSocketMessageType.Text, endOfMessage: end == bytes.Length, timeout.Token);
        }
    }

    /// <summary>The next frame, or a failure if none comes within <paramref name="timeout"/> (default 30 s).</summary>
    public async Task<JsonElement> NextAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            return await _frames.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No frame within {timeout ?? TimeSpan.FromSeconds(30)}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The connection closed ({CloseStatus} {CloseReason}) before another frame came.");
        }
    }

    /// <summary>The next frame of <paramref name="type"/>, skipping heartbeats only.</summary>
    public async Task<JsonElement> NextOfTypeAsync(string type, TimeSpan? timeout = null)
    {
        while (true)
        {
            var frame = await NextAsync(timeout);
            var actual = frame.GetProperty("type").GetString();
            if (actual == "heartbeat" && type != "heartbeat")
            {
                continue;
            }

            return actual == type ? frame : throw new InvalidOperationException($"Expected a '{type}' frame, got {frame}.");
        }
    }

    /// <summary>Waits until the server closed the connection (the receive loop ended).</summary>
    public async Task WaitClosedAsync(TimeSpan timeout)
    {
        await _receiving.WaitAsync(timeout);
    }

    private async Task ReceiveAllAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    using var document = JsonDocument.Parse(message.ToArray());
                    _frames.Writer.TryWrite(document.RootElement.Clone());
                    message.SetLength(0);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>Ends the connection without a close handshake, as a client that vanished.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        await _stop.CancelAsync();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _socket.Dispose();
        _stop.Dispose();
    }
}
