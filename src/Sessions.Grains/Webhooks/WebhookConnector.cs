using System.Net;
using System.Net.Sockets;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: it resolves the host itself and connects
/// only to addresses <see cref="WebhookAddressPolicy"/> allows. Checking the address actually connected to (not the URL
/// when the agent registered) closes DNS rebinding: a name that resolved to a public address at registration and to
/// 127.0.0.1 or 169.254.169.254 now is refused before any byte is sent.
/// </summary>
internal sealed class WebhookConnector(WebhookAddressPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var allowed = new List<IPAddress>();
        string? refusal = null;
        foreach (var address in await ResolveAsync(endpoint.Host, cancellationToken).ConfigureAwait(false))
        {
            if (policy.Refusal(address) is { } reason)
            {
                refusal ??= reason;
            }
            else
            {
                allowed.Add(address);
            }
        }

        if (allowed.Count == 0)
        {
            throw new WebhookAddressRefusedException(refusal ?? $"{endpoint.Host} resolved to no address");
        }

        return await ConnectToFirstAsync(allowed, endpoint.Port, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address)
            ? [address]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Stream> ConnectToFirstAsync(List<IPAddress> addresses, int port, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                last = exception;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
