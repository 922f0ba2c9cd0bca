using System.Net.Sockets;
using System.Text;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Requests;

/// <summary>Bodies whose HTTP framing is broken, sent on a raw socket (no client library would send them).</summary>
public sealed class MalformedFramingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_chunk_size_past_2_to_the_63_is_a_400_problem_not_a_500()
    {
        var address = new Uri(gateway.Gateway.Addresses.First());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(address.Host, address.Port);
        var request = $"POST /api/participants HTTP/1.1\r\nHost: {address.Authority}\r\nContent-Type: application/json\r\n"
            + $"Authorization: Bearer {TestCredentials.AdminKey}\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "FFFFFFFFFFFFFFFFFFFF\r\n{\"id\":\"x\",\"kind\":\"human\"}\r\n0\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request));

        var answer = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!answer.ToString().Contains("}", StringComparison.Ordinal) && await socket.ReceiveAsync(buffer, timeout.Token) is > 0 and var read)
        {
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var text = answer.ToString();
        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", text, StringComparison.Ordinal);
        Assert.Contains("\"urn:sessions:problem:unreadable-body\"", text, StringComparison.Ordinal);
    }
}
