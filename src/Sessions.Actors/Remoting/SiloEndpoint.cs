using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Sessions.Actors;

/// <summary>
/// The silo-to-silo listener: a Kestrel endpoint of its own, HTTP/2 only (cleartext HTTP/2 needs prior knowledge,
/// which a port shared with HTTP/1.1 cannot offer). It binds the advertised address, or every interface.
/// </summary>
public sealed class SiloEndpoint(IOptions<ClusterOptions> options)
{
    private ListenOptions? _listen;

    /// <summary>The port actually bound (known after the server started when the configured port is 0).</summary>
    public int BoundPort => _listen?.IPEndPoint?.Port ?? options.Value.SiloPort;

    /// <summary>Adds the silo endpoint to Kestrel; call from <c>ConfigureKestrel</c>.</summary>
    public void Listen(KestrelServerOptions kestrel)
    {
        var address = options.Value.ListenOnAnyAddress ? IPAddress.Any : Resolve(options.Value.AdvertisedHost);
        kestrel.Listen(address, options.Value.SiloPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            _listen = listen;
        });
    }

    /// <summary>True when a request came in on the silo endpoint (not on a public one).</summary>
    public bool Accepted(Microsoft.AspNetCore.Http.HttpContext context) => context.Connection.LocalPort == BoundPort;

    private static IPAddress Resolve(string host) =>
        IPAddress.TryParse(host, out var address) ? address
        : host == "localhost" ? IPAddress.Loopback
        : Dns.GetHostAddresses(host).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? IPAddress.Any;
}
