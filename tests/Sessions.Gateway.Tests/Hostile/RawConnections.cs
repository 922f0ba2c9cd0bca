using System.Net.Sockets;
using System.Text;
using static Sessions.Gateway.Tests.Hostile.JsonMutations;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// Attacks below HTTP and WebSocket clients, on raw TCP: malformed requests (bad request lines, headers, lengths and
/// chunking), malformed WebSocket frames after a real handshake (unmasked, reserved bits, unknown opcodes, oversized
/// control frames, lengths of 2^63), half-sent requests and handshakes that then hang, and abrupt resets. Whatever
/// the server answers is read; an HTTP 5xx or a WebSocket close 1011 is a failure.
/// </summary>
public sealed class RawConnections(int seed, Uri baseAddress, HostileScene scene)
{
    private static readonly TimeSpan ReadFor = TimeSpan.FromSeconds(3);
    private readonly string _host = $"Host: {baseAddress.Authority}\r\n";

    /// <summary>Opens a connection, sends half of something and leaves it hanging; the caller closes it later.</summary>
    public async Task<Socket> OpenHalfAsync(int index)
    {
        var random = new Random(unchecked((seed * 13_000_003) + index));
        var socket = await ConnectAsync();
        if (random.Next(4) == 0 && await UpgradeAsync(socket))
        {
            // A WebSocket whose frame header stops after its first byte, or claims 2^63 - 1 bytes that never come.
            byte[] frameStart = random.Next(2) == 0 ? [0x81] : [0x81, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4];
            await socket.SendAsync(frameStart);
            return socket;
        }

        var half = random.Next(6) switch
        {
            0 => "",
            1 => "POST /api/sessions HT",
            2 => $"POST /api/participants HTTP/1.1\r\n{_host}{HostileClient.AuthorizationLine}Content-Type: application/json\r\nContent-Le",
            3 => $"POST /api/participants HTTP/1.1\r\n{_host}{HostileClient.AuthorizationLine}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"id\":\"half",
            4 => $"GET /ws HTTP/1.1\r\n{_host}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Ke",
            _ => $"GET /api/sessions/{scene.SessionId}/events HTTP/1.1\r\n{_host}{HostileClient.AuthorizationLine}\r\n",
        };
        await socket.SendAsync(Encoding.UTF8.GetBytes(half));
        return socket;
    }

    /// <summary>Closes a hanging connection: politely (FIN) or with a reset (RST, linger 0).</summary>
    public static void Close(Socket socket, bool reset)
    {
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        socket.Dispose();
    }

    /// <summary>One malformed exchange; returns a failure description, or null when the server's answer was a fair one.</summary>
    public async Task<string?> AttackAsync(int index)
    {
        var random = new Random(unchecked((seed * 17_000_003) + index));
        using var socket = await ConnectAsync();
        var kind = random.Next(3);
        string label;
        if (kind == 0 && await UpgradeAsync(socket))
        {
            var frame = BadFrame(random, out label);
            await SendIgnoringResetAsync(socket, frame);
        }
        else
        {
            var request = BadRequest(random, out label);
            await SendIgnoringResetAsync(socket, request);
            if (random.Next(8) == 0)
            {
                // An abrupt reset right after sending: the server may be anywhere in handling it.
                Close(socket, reset: true);
                return null;
            }
        }

        var answer = await ReadAsync(socket);
        var text = Encoding.Latin1.GetString(answer);
        // 505 is the one 5xx that is the right answer to a client's mistake (RFC 9110, 15.6.6), and Kestrel gives it
        // before any of the gateway runs.
        if (text.StartsWith("HTTP/1.1 5", StringComparison.Ordinal) && !(label == "unknown HTTP version" && text.StartsWith("HTTP/1.1 505", StringComparison.Ordinal)))
        {
            return $"raw #{index} [{label}] answered {text.Split('\r')[0]}";
        }

        var closeAt = Array.IndexOf(answer, (byte)0x88);
        if (closeAt >= 0 && closeAt + 3 < answer.Length && ((answer[closeAt + 2] << 8) | answer[closeAt + 3]) == 1011)
        {
            return $"raw #{index} [{label}] WebSocket closed with 1011";
        }

        return null;
    }

    private byte[] BadRequest(Random random, out string label)
    {
        var auth = HostileClient.AuthorizationLine;
        var body = "{\"id\":\"raw\",\"kind\":\"human\"}";
        var target = Pick(random, "/api/participants", $"/api/sessions/{scene.SessionId}/messages", "/api/sessions", $"/api/participants/{scene.Initiator}");
        (label, var text) = random.Next(14) switch
        {
            0 => ("garbage request line", "\u0001\u0002GARBAGE\r\n\r\n"),
            1 => ("unknown HTTP version", $"GET {target} HTTP/9.9\r\n{_host}{auth}\r\n"),
            2 => ("no Host", $"GET {target} HTTP/1.1\r\n{auth}\r\n"),
            3 => ("header without a colon", $"GET {target} HTTP/1.1\r\n{_host}{auth}Broken header\r\n\r\n"),
            4 => ("header of 64 KiB", $"GET {target} HTTP/1.1\r\n{_host}{auth}X-Big: {new string('b', 65_536)}\r\n\r\n"),
            5 => ("negative Content-Length", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nContent-Length: -5\r\n\r\n{body}"),
            6 => ("Content-Length past 2^63", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{body}"),
            7 => ("two Content-Lengths", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: 27\r\n\r\n{body}"),
            8 => ("Content-Length with chunking", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nContent-Length: 27\r\nTransfer-Encoding: chunked\r\n\r\n{body}"),
            9 => ("bad chunk size", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{body}\r\n0\r\n\r\n"),
            10 => ("chunk longer than said", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{body}\r\n0\r\n\r\n"),
            11 => ("NUL in a header", $"GET {target} HTTP/1.1\r\n{_host}{auth}X-Nul: a\0b\r\n\r\n"),
            12 => ("body shorter than its length, then FIN", $"POST {target} HTTP/1.1\r\n{_host}{auth}Content-Type: application/json\r\nContent-Length: 500\r\nConnection: close\r\n\r\n{body}"),
            _ => ("pipelined garbage", $"GET {target} HTTP/1.1\r\n{_host}{auth}\r\nPOST {target} HTTP/1.1\r\n{_host}{auth}Content-Length: 3\r\n\r\n\u00ff\u00fe\u00fd"),
        };
        return Encoding.Latin1.GetBytes(text);
    }

    /// <summary>A frame a browser would never send; client frames must be masked, so most of these are masked.</summary>
    private static byte[] BadFrame(Random random, out string label)
    {
        var payload = Encoding.UTF8.GetBytes("{\"type\":\"ping\"}");
        (label, var head, var masked, var data) = random.Next(9) switch
        {
            0 => ("unmasked frame", (byte)0x81, false, payload),
            1 => ("reserved bits set", (byte)0xF1, true, payload),
            2 => ("opcode 0x3", (byte)0x83, true, payload),
            3 => ("ping of 200 bytes", (byte)0x89, true, new byte[200]),
            4 => ("continuation without a start", (byte)0x80, true, payload),
            5 => ("fragmented ping", (byte)0x09, true, payload),
            6 => ("close with code 999", (byte)0x88, true, new byte[] { 0x03, 0xE7 }),
            7 => ("invalid UTF-8 text", (byte)0x81, true, new byte[] { 0x7B, 0xC3, 0x28, 0xFF, 0x7D }),
            _ => ("close with 1 byte", (byte)0x88, true, new byte[] { 0x03 }),
        };
        var frame = new List<byte> { head };
        var maskBit = masked ? (byte)0x80 : (byte)0;
        if (data.Length < 126)
        {
            frame.Add((byte)(maskBit | data.Length));
        }
        else
        {
            frame.AddRange([(byte)(maskBit | 126), (byte)(data.Length >> 8), (byte)data.Length]);
        }

        if (masked)
        {
            byte[] mask = [0x11, 0x22, 0x33, 0x44];
            frame.AddRange(mask);
            frame.AddRange(data.Select((b, i) => (byte)(b ^ mask[i % 4])));
        }
        else
        {
            frame.AddRange(data);
        }

        return [.. frame];
    }

    private async Task<bool> UpgradeAsync(Socket socket)
    {
        var handshake = $"GET /ws HTTP/1.1\r\n{_host}{HostileClient.AuthorizationLine}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(handshake));
        var answer = new List<byte>();
        var buffer = new byte[1];
        using var timeout = new CancellationTokenSource(ReadFor);
        // Byte by byte up to the end of the head, so no frame after it is swallowed.
        try
        {
            while (!(answer.Count >= 4 && answer[^4] == '\r' && answer[^3] == '\n' && answer[^2] == '\r' && answer[^1] == '\n'))
            {
                if (await socket.ReceiveAsync(buffer, timeout.Token) == 0)
                {
                    return false;
                }

                answer.Add(buffer[0]);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No answer to a WebSocket handshake within {ReadFor.TotalSeconds} s.");
        }

        return Encoding.ASCII.GetString([.. answer]).StartsWith("HTTP/1.1 101", StringComparison.Ordinal);
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
        return socket;
    }

    private static async Task SendIgnoringResetAsync(Socket socket, byte[] bytes)
    {
        try
        {
            await socket.SendAsync(bytes);
        }
        catch (SocketException)
        {
            // The server refused the start of it and reset the connection: that is an answer, read below.
        }
    }

    /// <summary>What the server sends until it closes the connection or goes quiet for a moment.</summary>
    private static async Task<byte[]> ReadAsync(Socket socket)
    {
        var answer = new List<byte>();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(ReadFor);
        try
        {
            while (answer.Count < 1_000_000)
            {
                var read = await socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }

                answer.AddRange(buffer.AsSpan(0, read));
                if (answer.Contains((byte)'\n') || (answer[0] == 0x88 && answer.Count >= 4))
                {
                    // An HTTP status line, or a WebSocket close with its code: that is what is judged.
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
        }

        return [.. answer];
    }
}
