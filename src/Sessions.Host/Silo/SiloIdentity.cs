using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Sessions.Abstractions;

namespace Sessions.Host.Silo;

/// <summary>
/// Who this silo is and where it is reached, from the environment names a deployment sets (see deploy/k8s):
/// <c>SESSIONS_CLUSTER_ID</c>, <c>SESSIONS_SERVICE_ID</c>, <c>SESSIONS_SILO_PORT</c> (silo-to-silo),
/// <c>SESSIONS_GATEWAY_PORT</c> (Orleans clients), <c>SESSIONS_ADVERTISED_ADDRESS</c> (else <c>POD_IP</c>, else
/// loopback), <c>SESSIONS_SILO_LISTEN_ANY</c> and <c>POD_NAME</c>. A port of 0 picks a free one at start-up.
/// </summary>
internal sealed record SiloIdentity(
    string ClusterId,
    string ServiceId,
    string? SiloName,
    IPAddress AdvertisedAddress,
    int SiloPort,
    int GatewayPort,
    bool ListenOnAnyAddress)
{
    public const string ClusterIdVariable = "SESSIONS_CLUSTER_ID";
    public const string ServiceIdVariable = "SESSIONS_SERVICE_ID";
    public const string SiloPortVariable = "SESSIONS_SILO_PORT";
    public const string GatewayPortVariable = "SESSIONS_GATEWAY_PORT";
    public const string AdvertisedAddressVariable = "SESSIONS_ADVERTISED_ADDRESS";
    public const string ListenAnyVariable = "SESSIONS_SILO_LISTEN_ANY";
    public const string PodIpVariable = "POD_IP";
    public const string PodNameVariable = "POD_NAME";

    public const int DefaultSiloPort = 11111;
    public const int DefaultGatewayPort = 30000;

    public static SiloIdentity Read(IConfiguration configuration)
    {
        var address = ParseAddress(Value(configuration, AdvertisedAddressVariable) ?? Value(configuration, PodIpVariable)) ?? IPAddress.Loopback;
        var listenAny = Value(configuration, ListenAnyVariable) is { } any
            ? bool.TryParse(any, out var flag) ? flag : throw new InvalidOperationException($"{ListenAnyVariable} must be true or false, not '{any}'.")
            : false;
        var listenOn = ListenAddress(address, listenAny);
        return new SiloIdentity(
            ClusterId: Value(configuration, ClusterIdVariable) ?? SessionsCluster.DefaultClusterId,
            ServiceId: Value(configuration, ServiceIdVariable) ?? SessionsCluster.DefaultServiceId,
            SiloName: Value(configuration, PodNameVariable),
            AdvertisedAddress: address,
            SiloPort: Port(configuration, SiloPortVariable, DefaultSiloPort, listenOn),
            GatewayPort: Port(configuration, GatewayPortVariable, DefaultGatewayPort, listenOn),
            ListenOnAnyAddress: listenAny);
    }

    /// <summary>Where the silo and gateway endpoints listen: the advertised address, or every interface of its family.</summary>
    public IPAddress ListenAddress() => ListenAddress(AdvertisedAddress, ListenOnAnyAddress);

    private static IPAddress ListenAddress(IPAddress advertised, bool any) =>
        !any ? advertised : advertised.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    private static int Port(IConfiguration configuration, string variable, int defaultPort, IPAddress listenOn)
    {
        if (Value(configuration, variable) is not { } text)
        {
            return defaultPort;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new InvalidOperationException($"{variable} must be a port number (0 picks a free one), not '{text}'.");
        }

        return port == 0 ? FreePort(listenOn) : port;
    }

    // Orleans advertises the port it is configured with, so "any free port" is chosen here: one the system hands
    // out now. Another process could take it before the silo binds it; the silo then fails to start, loudly.
    private static int FreePort(IPAddress listenOn)
    {
        using var listener = new TcpListener(listenOn, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static IPAddress? ParseAddress(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (IPAddress.TryParse(text, out var address))
        {
            return address;
        }

        // A host name: the silo advertises one of its IPv4 addresses (Orleans addresses silos by IP).
        return Dns.GetHostAddresses(text).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? throw new InvalidOperationException($"{AdvertisedAddressVariable} '{text}' resolves to no IPv4 address.");
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value ? value : null;
}
