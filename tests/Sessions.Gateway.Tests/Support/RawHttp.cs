using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Sessions.Gateway.Tests;

/// <summary>
/// One HTTP/1.1 exchange on a raw socket: the whole request goes out in a single write, then the answer is read until
/// the server closes. For requests the server answers before reading them to the end (a body over the limit) and
/// then resets: HttpClient, when still writing at the reset, reports a broken pipe instead of the answer, while here
/// the answer, which came before the reset, is still read.
/// </summary>
public static class RawHttp
{
    public static async Task<HttpResponseMessage> SendAsync(Uri baseAddress, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(baseAddress.Host, baseAddress.Port);
        try
        {
            await socket.SendAsync(request);
        }
        catch (SocketException)
        {
            // The server answered before the end and reset the connection; its answer came first and is read below.
        }

        return Parse(await ReadUntilClosedAsync(socket));
    }

    /// <summary>
    /// A JSON POST of <paramref name="body"/>: with its Content-Length, or when <paramref name="chunkSize"/> is given,
    /// in chunks of that size with none.
    /// </summary>
    public static byte[] Post(Uri baseAddress, string path, byte[] body, int? chunkSize = null)
    {
        var request = new MemoryStream();
        var framing = chunkSize is null ? $"Content-Length: {body.Length}" : "Transfer-Encoding: chunked";
        Write(request, $"POST {path} HTTP/1.1\r\nHost: {baseAddress.Authority}\r\n"
            + $"Authorization: Bearer {Sessions.Testing.TestCredentials.AdminKey}\r\n"
            + $"Content-Type: application/json\r\n{framing}\r\nConnection: close\r\n\r\n");
        if (chunkSize is not { } size)
        {
            request.Write(body);
            return request.ToArray();
        }

        for (var offset = 0; offset < body.Length; offset += size)
        {
            var length = Math.Min(size, body.Length - offset);
            Write(request, $"{length:x}\r\n");
            request.Write(body, offset, length);
            Write(request, "\r\n");
        }

        Write(request, "0\r\n\r\n");
        return request.ToArray();
    }

    private static void Write(MemoryStream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    private static async Task<byte[]> ReadUntilClosedAsync(Socket socket)
    {
        var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, read);
            }
        }
        catch (SocketException) when (answer.Length > 0)
        {
            // A reset after the answer (the server closed with our unread bytes still queued): the answer is complete.
        }

        return answer.ToArray();
    }

    private static HttpResponseMessage Parse(byte[] answer)
    {
        var headEnd = answer.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(headEnd > 0, $"No complete HTTP head in {answer.Length} bytes: {Encoding.Latin1.GetString(answer)}");
        var lines = Encoding.ASCII.GetString(answer, 0, headEnd).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines[1..].Select(line => line.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = answer.AsSpan(headEnd + 4).ToArray();
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }

        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new ByteArrayContent(body) };
        if (headers.TryGetValue("Content-Type", out var contentType))
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return response;
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        var position = 0;
        while (true)
        {
            var sizeEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            Assert.True(sizeEnd > 0, "A chunked answer ended without its last chunk.");
            var size = int.Parse(Encoding.ASCII.GetString(chunked, position, sizeEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            position += sizeEnd + 2;
            if (size == 0)
            {
                return body.ToArray();
            }

            body.Write(chunked, position, size);
            position += size + 2;
        }
    }
}
