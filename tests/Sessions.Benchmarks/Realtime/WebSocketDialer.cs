using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Sessions.Testing;

namespace Sessions.Benchmarks.Realtime;

/// <summary>
/// Opens a client WebSocket on a plain socket: the HTTP/1.1 upgrade written by hand, then the framework's WebSocket
/// over the stream (<see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>). Lighter than a
/// <see cref="ClientWebSocket"/> (no HTTP handler per connection) and it leaves the socket at hand, to shrink its
/// receive buffer.
/// </summary>
internal static class WebSocketDialer
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <param name="receiveBufferBytes">SO_RCVBUF for the socket (set before connecting, so the window stays that small); null for the system's.</param>
    public static async Task<(Socket Socket, WebSocket WebSocket)> ConnectAsync(IPEndPoint server, string path, int? receiveBufferBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferBytes is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            // The tests' admin key, which the benchmark's gateways are configured with (the plain baseline ignores it).
            var request = $"GET {path} HTTP/1.1\r\nHost: {server}\r\nAuthorization: Bearer {TestCredentials.AdminKey}\r\n"
                + $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).ConfigureAwait(false);
            await ReadUpgradeAsync(stream, key, cancellationToken).ConfigureAwait(false);
            var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
            return (socket, webSocket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads the 101 response up to its blank line, and no further: the server says nothing more before it is asked.</summary>
    private static async Task ReadUpgradeAsync(NetworkStream stream, string key, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The server closed the connection during the WebSocket upgrade.");
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                if (end + 4 != length)
                {
                    throw new IOException("The server sent data right after the upgrade response; this client does not expect any.");
                }

                break;
            }

            if (length == buffer.Length)
            {
                throw new IOException("The upgrade response is longer than 1 KiB.");
            }
        }

        var response = Encoding.ASCII.GetString(buffer, 0, length);
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        if (!response.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)
            || !response.Contains($"Sec-WebSocket-Accept: {expected}", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"The server refused the WebSocket upgrade: {response.Split("\r\n")[0]}");
        }
    }
}
