using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

/// <summary>
/// Agreements between the objects of one set of manifests, checked on the base's files and on what kustomize renders
/// for every kustomization (an overlay may patch one side of an agreement and not the other).
/// </summary>
internal static class SiloChecks
{
    public const string ClusterIdVariable = "SESSIONS_CLUSTER_ID";
    public const string ServiceIdVariable = "SESSIONS_SERVICE_ID";

    /// <summary>The Kubernetes hosting package finds the silo pods by labels that must carry the ids the silos use.</summary>
    public static void OrleansLabelsEqualTheIds(SiloObjects objects)
    {
        var serviceId = objects.EnvironmentValue(ServiceIdVariable);
        var clusterId = objects.EnvironmentValue(ClusterIdVariable);

        Assert.False(string.IsNullOrEmpty(serviceId), $"{objects}: the silos get no {ServiceIdVariable}");
        Assert.False(string.IsNullOrEmpty(clusterId), $"{objects}: the silos get no {ClusterIdVariable}");
        Assert.Equal(serviceId, objects.PodLabels.GetValueOrDefault(OrleansKubernetesHosting.ServiceIdLabel));
        Assert.Equal(clusterId, objects.PodLabels.GetValueOrDefault(OrleansKubernetesHosting.ClusterIdLabel));
    }

    /// <summary>The Orleans port settings and the HTTP URL name the container's ports.</summary>
    public static void PortSettingsEqualTheContainerPorts(SiloObjects objects)
    {
        Assert.Equal(Text(objects.ContainerPorts[SiloObjects.SiloPort]), objects.EnvironmentValue("SESSIONS_SILO_PORT"));
        Assert.Equal(Text(objects.ContainerPorts[SiloObjects.GatewayPort]), objects.EnvironmentValue("SESSIONS_GATEWAY_PORT"));
        Assert.Equal($"http://0.0.0.0:{objects.ContainerPorts[SiloObjects.HttpPort]}", objects.EnvironmentValue("ASPNETCORE_URLS"));
    }

    /// <summary>The pods run as the ServiceAccount the RoleBinding gives the Role to, with its token mounted.</summary>
    public static void PodsRunAsTheBoundServiceAccountWithItsToken(SiloObjects objects)
    {
        var account = objects.ServiceAccount;
        var binding = objects.RoleBinding;
        var subject = Assert.Single(binding.Root.Items("subjects"));

        Assert.Equal(account.Name, objects.PodSpec.Scalar("serviceAccountName"));
        Assert.Equal("true", objects.PodSpec.Scalar("automountServiceAccountToken"));
        Assert.Equal("rbac.authorization.k8s.io", binding.Root.Scalar("roleRef.apiGroup"));
        Assert.Equal("Role", binding.Root.Scalar("roleRef.kind"));
        Assert.Equal(objects.Role.Name, binding.Root.Scalar("roleRef.name"));
        Assert.Equal("ServiceAccount", subject.Scalar("kind"));
        Assert.Equal(account.Name, subject.Scalar("name"));
        // Unset means the binding's namespace; set, it must be the account's.
        Assert.True(subject.Scalar("namespace") is null || subject.Scalar("namespace") == account.Root.Scalar("metadata.namespace"),
            $"{objects}: the RoleBinding names the ServiceAccount of namespace '{subject.Scalar("namespace")}'");
    }

    /// <summary>Every Service and the NetworkPolicy select the silo pods and name ports the silo container has.</summary>
    public static void ServicesAndNetworkPolicyTargetTheSiloPorts(SiloObjects objects)
    {
        Assert.NotEmpty(objects.Services);
        Assert.All(objects.Services, service =>
        {
            Assert.True(objects.Selects(service.Root.StringMap("spec.selector")), $"{service} does not select the silo pods");
            Assert.All(service.Root.Items("spec.ports"), port =>
                Assert.True(objects.ContainerPorts.ContainsKey(port.Scalar("targetPort") ?? ""), $"{service}: targetPort '{port.Scalar("targetPort")}' is not a silo container port name"));
        });

        var policy = objects.NetworkPolicy;
        Assert.Equal(objects.Deployment.Root.StringMap("spec.selector.matchLabels"), policy.Root.StringMap("spec.podSelector.matchLabels"));
        Assert.All(policy.Root.Items("spec.ingress").SelectMany(rule => rule.Items("ports")), port =>
            Assert.True(objects.ContainerPorts.ContainsKey(port.Scalar("port") ?? ""), $"{policy}: port '{port.Scalar("port")}' is not a silo container port name"));
    }

    private static string Text(int number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
