using Sessions.Host.Silo;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Sessions.Gateway.Hosting;

namespace Sessions.Gateway.Tests.Hosting;

/// <summary>Who a silo is and where it listens, read from the environment names a deployment sets.</summary>
public sealed class SiloIdentityTests
{
    [Fact]
    public void Without_settings_it_is_a_loopback_silo_of_the_default_cluster_on_the_default_ports()
    {
        var identity = Read([]);

        Assert.Equal("default", identity.ClusterId);
        Assert.Equal("sessions", identity.ServiceId);
        Assert.Null(identity.SiloName);
        Assert.Equal(IPAddress.Loopback, identity.AdvertisedAddress);
        Assert.Equal(11111, identity.SiloPort);
        Assert.Equal(30000, identity.GatewayPort);
        Assert.Equal(IPAddress.Loopback, identity.ListenAddress());
    }

    [Fact]
    public void Every_setting_is_read_and_the_advertised_address_wins_over_the_pod_ip()
    {
        var identity = Read(new()
        {
            ["SESSIONS_CLUSTER_ID"] = "blue",
            ["SESSIONS_SERVICE_ID"] = "chat",
            ["POD_NAME"] = "silo-7",
            ["SESSIONS_ADVERTISED_ADDRESS"] = "10.1.2.3",
            ["POD_IP"] = "10.9.9.9",
            ["SESSIONS_SILO_PORT"] = "12000",
            ["SESSIONS_GATEWAY_PORT"] = "31000",
            ["SESSIONS_SILO_LISTEN_ANY"] = "true",
        });

        Assert.Equal(("blue", "chat", "silo-7"), (identity.ClusterId, identity.ServiceId, identity.SiloName));
        Assert.Equal(IPAddress.Parse("10.1.2.3"), identity.AdvertisedAddress);
        Assert.Equal((12000, 31000), (identity.SiloPort, identity.GatewayPort));
        Assert.Equal(IPAddress.Any, identity.ListenAddress());
    }

    [Fact]
    public void The_pod_ip_is_advertised_when_no_address_is_given_and_a_host_name_resolves_to_ipv4()
    {
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Read(new() { ["POD_IP"] = "10.9.9.9" }).AdvertisedAddress);
        Assert.Equal(IPAddress.Loopback, Read(new() { ["SESSIONS_ADVERTISED_ADDRESS"] = "localhost" }).AdvertisedAddress);
    }

    [Fact]
    public void Listening_on_every_interface_of_an_ipv6_address_is_the_ipv6_any_address()
    {
        var identity = Read(new() { ["SESSIONS_ADVERTISED_ADDRESS"] = "::1", ["SESSIONS_SILO_LISTEN_ANY"] = "true", ["SESSIONS_SILO_PORT"] = "12000", ["SESSIONS_GATEWAY_PORT"] = "31000" });

        Assert.Equal(IPAddress.IPv6Any, identity.ListenAddress());
    }

    [Fact]
    public void Port_zero_picks_a_port_that_is_free_now()
    {
        var identity = Read(new() { ["SESSIONS_SILO_PORT"] = "0", ["SESSIONS_GATEWAY_PORT"] = "0" });

        Assert.NotEqual(identity.SiloPort, identity.GatewayPort);
        foreach (var port in new[] { identity.SiloPort, identity.GatewayPort })
        {
            Assert.InRange(port, 1, 65535);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Theory]
    [InlineData("SESSIONS_SILO_PORT", "70000")]
    [InlineData("SESSIONS_SILO_PORT", "-1")]
    [InlineData("SESSIONS_GATEWAY_PORT", "http")]
    [InlineData("SESSIONS_SILO_LISTEN_ANY", "yes")]
    public void A_setting_that_makes_no_sense_stops_the_start_naming_the_variable(string variable, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new() { [variable] = value }));

        Assert.Contains(variable, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static SiloIdentity Read(Dictionary<string, string?> settings) =>
        SiloIdentity.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
}
