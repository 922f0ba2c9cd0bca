using System.Globalization;
using Microsoft.Extensions.Configuration;
using Sessions.Actors;

namespace Sessions.Gateway.Hosting;

/// <summary>
/// Reads a silo's cluster settings: the protocol timings from the section <c>Sessions:Cluster</c>, and its identity
/// from the environment names a deployment sets (see deploy/k8s): <c>SESSIONS_CLUSTER_ID</c>,
/// <c>SESSIONS_SILO_PORT</c>, <c>SESSIONS_ADVERTISED_ADDRESS</c> (else <c>POD_IP</c>, else loopback),
/// <c>SESSIONS_SILO_LISTEN_ANY</c> and <c>POD_NAME</c>.
/// </summary>
internal static class ClusterSettings
{
    public const string SectionName = "Sessions:Cluster";
    public const string ClusterIdVariable = "SESSIONS_CLUSTER_ID";
    public const string SiloPortVariable = "SESSIONS_SILO_PORT";
    public const string AdvertisedAddressVariable = "SESSIONS_ADVERTISED_ADDRESS";
    public const string ListenAnyVariable = "SESSIONS_SILO_LISTEN_ANY";
    public const string PodIpVariable = "POD_IP";
    public const string PodNameVariable = "POD_NAME";

    public static void Apply(IConfiguration configuration, ClusterOptions options)
    {
        configuration.GetSection(SectionName).Bind(options);
        options.ClusterId = Value(configuration, ClusterIdVariable) ?? options.ClusterId;
        options.AdvertisedHost = Value(configuration, AdvertisedAddressVariable) ?? Value(configuration, PodIpVariable) ?? options.AdvertisedHost;
        options.SiloName = Value(configuration, PodNameVariable) ?? options.SiloName;
        if (Value(configuration, SiloPortVariable) is { } port)
        {
            options.SiloPort = int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535
                ? number
                : throw new InvalidOperationException($"{SiloPortVariable} must be a port number (0 picks a free one), not '{port}'.");
        }

        if (Value(configuration, ListenAnyVariable) is { } any)
        {
            options.ListenOnAnyAddress = bool.TryParse(any, out var flag)
                ? flag
                : throw new InvalidOperationException($"{ListenAnyVariable} must be true or false, not '{any}'.");
        }
    }

    private static string? Value(IConfiguration configuration, string name) =>
        configuration[name] is { Length: > 0 } value ? value : null;
}
