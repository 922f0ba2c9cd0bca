using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

public sealed class ServicesTests
{
    [Fact]
    public void There_is_an_http_service_and_a_headless_silo_service()
    {
        Assert.Equal(2, SiloBase.Services.Count);
        Assert.NotEqual(SiloBase.HttpService.Name, SiloBase.HeadlessService.Name);
    }

    [Fact]
    public void Both_services_select_the_silo_pods()
    {
        Assert.All(SiloBase.Services, service =>
        {
            var selector = service.Root.StringMap("spec.selector");
            Assert.NotEmpty(selector);
            Assert.All(selector, label => Assert.Equal(label.Value, SiloBase.PodLabels.GetValueOrDefault(label.Key)));
        });
    }

    [Fact]
    public void Every_target_port_is_a_port_of_the_silo_container()
    {
        Assert.All(SiloBase.Services.SelectMany(service => service.Root.Items("spec.ports")), port =>
        {
            var target = port.Scalar("targetPort");
            Assert.True(
                target is not null
                && (SiloBase.ContainerPorts.ContainsKey(target) || (int.TryParse(target, out var number) && SiloBase.ContainerPorts.Values.Contains(number))),
                $"targetPort '{target}' is not a port of the silo container");
        });
    }

    [Fact]
    public void The_http_service_is_a_cluster_ip_from_port_80_to_the_http_port()
    {
        var service = SiloBase.HttpService;
        var port = Assert.Single(service.Root.Items("spec.ports"));

        Assert.Equal("ClusterIP", service.Root.Scalar("spec.type") ?? "ClusterIP");
        Assert.Equal(80, port.Integer("port"));
        Assert.Equal("http", port.Scalar("targetPort"));
    }

    [Fact]
    public void The_http_service_carries_no_orleans_port()
    {
        var orleansPorts = new[] { SiloObjects.SiloPort, SiloObjects.GatewayPort };
        var orleansNumbers = orleansPorts.Select(name => SiloBase.ContainerPorts[name]).ToList();

        Assert.All(SiloBase.HttpService.Root.Items("spec.ports"), port =>
        {
            Assert.DoesNotContain(port.Scalar("targetPort"), orleansPorts);
            Assert.DoesNotContain(SiloBase.Objects.ResolvePort(port.Scalar("targetPort")) ?? 0, orleansNumbers);
            Assert.DoesNotContain(port.Integer("port") ?? 0, orleansNumbers);
        });
    }

    [Fact]
    public void The_headless_service_publishes_every_silo_even_unready_on_the_silo_and_gateway_ports()
    {
        var service = SiloBase.HeadlessService;
        var ports = service.Root.Items("spec.ports").ToDictionary(port => port.Scalar("targetPort") ?? "", port => port.Integer("port"));

        Assert.Equal("None", service.Root.Scalar("spec.clusterIP"));
        Assert.Equal("true", service.Root.Scalar("spec.publishNotReadyAddresses"));
        Assert.Equal(
            new Dictionary<string, int?>
            {
                [SiloObjects.SiloPort] = SiloBase.ContainerPorts[SiloObjects.SiloPort],
                [SiloObjects.GatewayPort] = SiloBase.ContainerPorts[SiloObjects.GatewayPort],
            },
            ports);
    }

    [Fact]
    public void The_headless_service_declares_no_http_protocol_for_the_orleans_ports()
    {
        // Orleans speaks its own protocol over TCP; an h2c or http appProtocol would mislead meshes and gateways.
        Assert.All(SiloBase.HeadlessService.Root.Items("spec.ports"), port =>
        {
            Assert.Equal("TCP", port.Scalar("protocol") ?? "TCP");
            Assert.DoesNotContain("http", port.Scalar("appProtocol") ?? "", StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("h2c", port.Scalar("appProtocol") ?? "", StringComparison.OrdinalIgnoreCase);
        });
    }
}
