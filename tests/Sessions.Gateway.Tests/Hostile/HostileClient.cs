using System.Net.Http.Headers;
using System.Net.WebSockets;
using Sessions.Testing;

namespace Sessions.Gateway.Tests.Hostile;

/// <summary>
/// The one place the hostile-input test makes its connections (HTTP, WebSocket, raw TCP), so all of them carry the
/// admin's bearer key: a request turned away for its credentials would never reach the handlers it is meant to test.
/// </summary>
public static class HostileClient
{
    /// <summary>The admin key the gateway under test is started with (<c>SESSIONS_ADMIN_KEY</c>) and every request sends.</summary>
    public const string AdminKey = TestCredentials.AdminKey;

    public const string AdminKeyVariable = TestCredentials.AdminKeyVariable;

    public static AuthenticationHeaderValue Authorization => new("Bearer", AdminKey);

    /// <summary>The header line for requests written by hand on a raw socket.</summary>
    public static string AuthorizationLine => $"Authorization: Bearer {AdminKey}\r\n";

    /// <summary>An HTTP client that keeps up to <paramref name="connections"/> connections open to the gateway.</summary>
    public static HttpClient CreateHttpClient(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, AllowAutoRedirect = false };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = Authorization;
        return client;
    }

    /// <summary>Connects a WebSocket to <c>/ws</c>.</summary>
    public static async Task<ClientWebSocket> ConnectWebSocketAsync(Uri baseAddress, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", Authorization.ToString());
        socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan;
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        try
        {
            await socket.ConnectAsync(uri, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
