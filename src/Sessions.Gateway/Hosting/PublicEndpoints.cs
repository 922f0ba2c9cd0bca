using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Sessions.Gateway.Hosting;

/// <summary>
/// Binds the public HTTP API's URLs (<c>--urls</c> / <c>ASPNETCORE_URLS</c>) explicitly. Kestrel ignores URL settings
/// once any endpoint is configured in code, and the silo endpoint is; so the public ones are configured in code too.
/// </summary>
internal static class PublicEndpoints
{
    public static void Listen(KestrelServerOptions kestrel, string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (host, port) = Parse(url);
            switch (host)
            {
                case "localhost":
                    kestrel.ListenLocalhost(port);
                    break;
                case "*" or "+" or "0.0.0.0":
                    kestrel.ListenAnyIP(port);
                    break;
                default:
                    kestrel.Listen(IPAddress.TryParse(host.Trim('[', ']'), out var address)
                        ? address
                        : throw new InvalidOperationException($"'{url}': listen on an IP address, localhost or *, not a host name."), port);
                    break;
            }
        }
    }

    private static (string Host, int Port) Parse(string url)
    {
        const string scheme = "http://";
        if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"'{url}': only http:// URLs are served (put TLS in front of the gateway).");
        }

        var authority = url[scheme.Length..].TrimEnd('/');
        var colon = authority.LastIndexOf(':');
        return colon > 0 && colon > authority.LastIndexOf(']') && int.TryParse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var port)
            ? (authority[..colon], port)
            : (authority, 80);
    }
}
