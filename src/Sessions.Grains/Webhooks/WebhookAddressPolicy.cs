using System.Net;
using System.Net.Sockets;

namespace Sessions.Grains.Webhooks;

/// <summary>
/// Which addresses a webhook may reach (<see cref="WebhookOptions.AllowLoopback"/>,
/// <see cref="WebhookOptions.AllowPrivateNetworks"/>). Checked on the URL when an agent is registered, and again on the
/// address actually connected to at send time, so a name that later resolves into a private network is still refused.
/// </summary>
public sealed class WebhookAddressPolicy(bool allowLoopback, bool allowPrivateNetworks)
{
    public static WebhookAddressPolicy From(WebhookOptions options) => new(options.AllowLoopback, options.AllowPrivateNetworks);

    /// <summary>Why <paramref name="address"/> may not be reached, or null when it may.</summary>
    public string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.Any.Equals(address) || IPAddress.IPv6Any.Equals(address) || IsMulticastOrBroadcast(address))
        {
            return $"{address} is not a unicast address";
        }

        if (IPAddress.IsLoopback(address))
        {
            return allowLoopback ? null : $"{address} is a loopback address (set Sessions__Webhooks__AllowLoopback=true to allow it)";
        }

        if (IsPrivateOrLocal(address))
        {
            return allowPrivateNetworks ? null : $"{address} is in a private or link-local network (set Sessions__Webhooks__AllowPrivateNetworks=true to allow it)";
        }

        return null;
    }

    private static bool IsMulticastOrBroadcast(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6
        ? address.IsIPv6Multicast
        : address.GetAddressBytes() is [>= 224, ..] or [255, 255, 255, 255];

    private static bool IsPrivateOrLocal(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || (bytes[0] & 0xFE) == 0xFC;
        }

        return address.GetAddressBytes() switch
        {
            [10, ..] => true,
            [172, >= 16 and <= 31, ..] => true,
            [192, 168, ..] => true,
            [169, 254, ..] => true,
            [100, >= 64 and <= 127, ..] => true, // carrier-grade NAT
            [0, ..] => true, // "this network"
            _ => false,
        };
    }
}
