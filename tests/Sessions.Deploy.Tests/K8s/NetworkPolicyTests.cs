using Sessions.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.K8s;

/// <summary>
/// HTTP is open to everyone; the Orleans ports, which authenticate no one, are admitted only from pods of the app
/// (and, for the gateway, from pods labelled as Orleans clients) of the namespace.
/// </summary>
public sealed class NetworkPolicyTests
{
    public const string OrleansClientLabel = "sessions.io/orleans-client";

    private static YamlNode Policy => SiloBase.NetworkPolicy.Root;

    private static IReadOnlyList<YamlNode> Rules => Policy.Items("spec.ingress");

    [Fact]
    public void Restricts_incoming_traffic_only()
    {
        Assert.Equal(new[] { "Ingress" }, Policy.Items("spec.policyTypes").Select(type => (type as YamlScalarNode)?.Value));
        Assert.Null(Policy.At("spec.egress"));
    }

    [Fact]
    public void Applies_to_the_silo_pods_and_names_only_their_ports()
    {
        SiloChecks.ServicesAndNetworkPolicyTargetTheSiloPorts(SiloBase.Objects);
    }

    [Fact]
    public void Every_rule_names_its_ports()
    {
        // A rule without ports admits its peers on every port, the Orleans ones included.
        Assert.All(Rules, rule => Assert.NotEmpty(rule.Items("ports")));
    }

    [Fact]
    public void Admits_http_from_everywhere()
    {
        Assert.Contains(RulesCovering(SiloObjects.HttpPort), rule => rule.Items("from").Count == 0);
    }

    [Fact]
    public void Admits_the_silo_port_only_from_silo_pods_of_the_namespace()
    {
        var peers = PeersOf(SiloObjects.SiloPort);

        Assert.NotEmpty(peers);
        Assert.All(peers, peer =>
        {
            AssertPodSelectorOnly(peer);
            var labels = peer.StringMap("podSelector.matchLabels");
            Assert.True(SiloBase.Deployment.Root.StringMap("spec.selector.matchLabels").All(label => labels.GetValueOrDefault(label.Key) == label.Value),
                "a peer of the silo port selects pods other than the silos");
        });
    }

    [Fact]
    public void Admits_the_gateway_port_only_from_pods_of_the_app_and_labelled_orleans_clients_of_the_namespace()
    {
        var peers = PeersOf(SiloObjects.GatewayPort);

        Assert.All(peers, AssertPodSelectorOnly);
        var selectors = peers.Select(peer => peer.StringMap("podSelector.matchLabels")).ToList();
        Assert.All(selectors, labels => Assert.True(
            labels.GetValueOrDefault(SiloObjects.AppLabel) == SiloObjects.AppName || labels.GetValueOrDefault(OrleansClientLabel) == "true",
            $"a peer of the gateway port selects pods that are neither the app's nor labelled {OrleansClientLabel}"));
        Assert.Contains(selectors, labels => labels.GetValueOrDefault(OrleansClientLabel) == "true");
        Assert.Contains(selectors, labels => labels.GetValueOrDefault(SiloObjects.AppLabel) == SiloObjects.AppName);
    }

    [Theory]
    [InlineData("SESSIONS_SILO_PORT")]
    [InlineData("SESSIONS_GATEWAY_PORT")]
    public void Restricts_the_orleans_port_the_silos_listen_on(string setting)
    {
        // The port the silo process binds, as its settings say: a policy naming another port (a renumbered setting,
        // a container port that drifted from it) would leave the real one open to every peer of the HTTP rule.
        var listening = int.Parse(SiloBase.EnvironmentValue(setting) ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        var rules = RulesCovering(listening).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.NotEmpty(rule.Items("from")));
    }

    [Fact]
    public void Admits_the_http_port_the_silos_listen_on_from_everywhere()
    {
        var url = new Uri(SiloBase.EnvironmentValue("ASPNETCORE_URLS") ?? "");

        Assert.Contains(RulesCovering(url.Port), rule => rule.Items("from").Count == 0);
    }

    private static IEnumerable<YamlNode> RulesCovering(string portName) => RulesCovering(SiloBase.ContainerPorts[portName]);

    private static IEnumerable<YamlNode> RulesCovering(int number) =>
        Rules.Where(rule => rule.Items("ports").Count == 0
            || rule.Items("ports").Any(port => SiloBase.Objects.ResolvePort(port.Scalar("port")) == number));

    private static IReadOnlyList<YamlNode> PeersOf(string portName)
    {
        var rules = RulesCovering(portName).ToList();
        Assert.NotEmpty(rules);
        // A rule without peers admits everyone.
        Assert.All(rules, rule => Assert.NotEmpty(rule.Items("from")));
        return rules.SelectMany(rule => rule.Items("from")).ToList();
    }

    // A namespaceSelector would admit other namespaces, an ipBlock addresses outside; matchExpressions are not read here.
    private static void AssertPodSelectorOnly(YamlNode peer)
    {
        Assert.Null(peer.At("namespaceSelector"));
        Assert.Null(peer.At("ipBlock"));
        Assert.Null(peer.At("podSelector.matchExpressions"));
        Assert.NotEmpty(peer.StringMap("podSelector.matchLabels"));
    }
}
