using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

/// <summary>
/// What Orleans' Kubernetes hosting (<c>UseKubernetesHosting</c>, switched on by SESSIONS_KUBERNETES_HOSTING) needs
/// from the pods: POD_NAME, POD_NAMESPACE and POD_IP; the labels orleans/serviceId and orleans/clusterId equal to the
/// silo's ids (it lists and watches pods by them, and patches them onto its own pod when they are not); and a service
/// account token whose Role allows the Kubernetes API calls it makes. The names and calls are read from the package
/// (<see cref="OrleansKubernetesHosting"/>).
/// </summary>
public sealed partial class KubernetesHostingTests
{
    /// <summary>
    /// Calls the package makes only in some cases, which the Role does not grant, and why those cases cannot happen.
    /// Read from its source (KubernetesClusterAgent): it patches its own pod only when the pod lacks the two labels
    /// or carries other values, and deletes pods only with KubernetesHostingOptions.DeleteDefunctSiloPods on.
    /// </summary>
    private static readonly Dictionary<string, string> VerbsNotGranted = new(StringComparer.Ordinal)
    {
        ["patch"] = "the pod template carries the labels with the configured ids (Orleans_labels_on_the_pod_template_equal_the_configured_ids)",
        ["delete"] = "the host does not enable DeleteDefunctSiloPods (The_host_does_not_delete_pods_of_dead_silos)",
    };

    [Fact]
    public void The_silos_turn_kubernetes_hosting_on()
    {
        Assert.True(HostSource.EnablesKubernetesHosting, $"the host no longer calls UseKubernetesHosting under {HostSource.KubernetesHostingVariable}");
        Assert.Equal("true", SiloBase.EnvironmentValue(HostSource.KubernetesHostingVariable));
    }

    [Fact]
    public void The_pod_name_namespace_and_address_come_from_the_downward_api()
    {
        var env = SiloBase.Container.Items("env");

        Assert.Equal("metadata.name", env.Named(OrleansKubernetesHosting.PodNameVariable)?.Scalar("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.namespace", env.Named(OrleansKubernetesHosting.PodNamespaceVariable)?.Scalar("valueFrom.fieldRef.fieldPath"));
        Assert.Equal("status.podIP", env.Named(OrleansKubernetesHosting.PodIpVariable)?.Scalar("valueFrom.fieldRef.fieldPath"));
    }

    [Fact]
    public void Orleans_labels_on_the_pod_template_equal_the_configured_ids()
    {
        SiloChecks.OrleansLabelsEqualTheIds(SiloBase.Objects);
    }

    [Fact]
    public void The_configmap_sets_both_ids_explicitly()
    {
        var data = SiloBase.ConfigMap.Root.StringMap("data");

        Assert.Contains(SiloChecks.ClusterIdVariable, data.Keys);
        Assert.Contains(SiloChecks.ServiceIdVariable, data.Keys);
    }

    [Theory]
    [InlineData(SiloChecks.ClusterIdVariable)]
    [InlineData(SiloChecks.ServiceIdVariable)]
    public void The_ids_are_valid_label_values(string variable)
    {
        var id = SiloBase.EnvironmentValue(variable);

        Assert.NotNull(id);
        Assert.True(id.Length <= 63 && LabelValue().IsMatch(id), $"{variable} '{id}' cannot be a label value, so the pods cannot carry it");
    }

    [Fact]
    public void The_orleans_labels_stay_out_of_the_deployment_selector()
    {
        // The selector cannot change after creation: with the ids in it, changing an id would need a new Deployment.
        var selector = SiloBase.Deployment.Root.StringMap("spec.selector.matchLabels");

        Assert.DoesNotContain(OrleansKubernetesHosting.ServiceIdLabel, selector.Keys);
        Assert.DoesNotContain(OrleansKubernetesHosting.ClusterIdLabel, selector.Keys);
    }

    [Fact]
    public void Orleans_own_id_variables_are_not_set()
    {
        // They would override the ids the host sets, and the pod labels would no longer match.
        Assert.All(OrleansKubernetesHosting.OrleansIdVariables, name => Assert.DoesNotContain(name, SiloBase.EnvironmentVariableNames));
    }

    [Fact]
    public void The_pods_run_as_the_bound_service_account_with_its_token_mounted()
    {
        SiloChecks.PodsRunAsTheBoundServiceAccountWithItsToken(SiloBase.Objects);
    }

    [Fact]
    public void The_service_account_does_not_switch_tokens_off_for_itself()
    {
        // The pod's setting wins, but an account that says false reads as if the silos had no token.
        Assert.NotEqual("false", SiloBase.ServiceAccount.Root.Scalar("automountServiceAccountToken"));
    }

    [Fact]
    public void Every_kubernetes_api_call_of_the_package_is_on_pods_and_maps_to_a_verb()
    {
        var permissions = OrleansKubernetesHosting.RequiredPermissions;

        Assert.NotEmpty(permissions);
        Assert.All(permissions, permission => Assert.Equal("pods", permission.Resource));
    }

    [Fact]
    public void The_role_grants_exactly_the_verbs_the_package_needs_on_pods()
    {
        var needed = OrleansKubernetesHosting.RequiredPermissions.Select(p => p.Verb).Except(VerbsNotGranted.Keys).ToHashSet();
        var rule = Assert.Single(SiloBase.Role.Root.Items("rules"));

        Assert.Equal(new[] { "" }, rule.Items("apiGroups").Select(Scalar));
        Assert.Equal(new[] { "pods" }, rule.Items("resources").Select(Scalar));
        Assert.Null(rule.At("resourceNames"));
        Assert.Equal(needed.Order(StringComparer.Ordinal), rule.Items("verbs").Select(Scalar).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_verb_left_out_of_the_role_is_one_the_package_uses()
    {
        // An entry for a call the package no longer makes would be a stale excuse.
        var used = OrleansKubernetesHosting.RequiredPermissions.Select(p => p.Verb).ToHashSet();

        Assert.All(VerbsNotGranted.Keys, verb => Assert.Contains(verb, used));
    }

    [Fact]
    public void The_host_does_not_delete_pods_of_dead_silos()
    {
        // Were it enabled, the Role would need `delete` on pods.
        Assert.False(HostSource.Mentions("DeleteDefunctSiloPods"), "the host sets DeleteDefunctSiloPods: grant `delete` on pods in rbac.yaml");
    }

    [Fact]
    public void The_package_read_here_is_the_version_the_host_uses()
    {
        var packages = XDocument.Load(Repository.PathOf("Directory.Packages.props"));
        var hostVersion = packages.Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "Microsoft.Orleans.Hosting.Kubernetes").Attribute("Version")?.Value;
        var testedVersion = typeof(KubernetesHostingTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "OrleansKubernetesHostingVersion").Value;

        Assert.Equal(hostVersion, testedVersion);
    }

    private static string? Scalar(YamlDotNet.RepresentationModel.YamlNode node) => (node as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value;

    // A label value: empty, or alphanumerics with '-', '_' and '.' inside.
    [GeneratedRegex("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")]
    private static partial Regex LabelValue();
}
