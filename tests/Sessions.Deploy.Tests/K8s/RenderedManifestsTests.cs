using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.K8s;

/// <summary>
/// The agreements of <see cref="SiloChecks"/> on what kustomize renders for every kustomization, as it would be
/// applied: an overlay's patch or generator may break one the base's files keep.
/// </summary>
public sealed class RenderedManifestsTests
{
    public static TheoryData<string> Kustomizations => new(Kustomization.AllDirectories());

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void Renders_the_silo_objects_once_each(string directory)
    {
        var objects = Kustomize.Objects(directory);
        var kinds = new[] { "Deployment", "ConfigMap", "ServiceAccount", "Role", "RoleBinding", "NetworkPolicy", "PodDisruptionBudget", "HorizontalPodAutoscaler" };

        Assert.All(kinds, kind => Assert.Single(objects.Manifests, m => m.Kind == kind && m.Root.StringMap("metadata.labels").GetValueOrDefault(SiloObjects.AppLabel) == SiloObjects.AppName));
        Assert.Equal(2, objects.Services.Count);
    }

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void Orleans_labels_equal_the_ids(string directory)
    {
        SiloChecks.OrleansLabelsEqualTheIds(Kustomize.Objects(directory));
    }

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void Port_settings_equal_the_container_ports(string directory)
    {
        SiloChecks.PortSettingsEqualTheContainerPorts(Kustomize.Objects(directory));
    }

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void Pods_run_as_the_bound_service_account_with_its_token(string directory)
    {
        SiloChecks.PodsRunAsTheBoundServiceAccountWithItsToken(Kustomize.Objects(directory));
    }

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void Services_and_network_policy_target_the_silo_ports(string directory)
    {
        SiloChecks.ServicesAndNetworkPolicyTargetTheSiloPorts(Kustomize.Objects(directory));
    }

    [KustomizeTheory]
    [MemberData(nameof(Kustomizations))]
    public void The_connection_string_secret_the_silos_read_is_rendered_or_left_to_the_operator(string directory)
    {
        var objects = Kustomize.Objects(directory);
        var reference = objects.Container.Items("env").Named("ConnectionStrings__Sessions")?.At("valueFrom.secretKeyRef");
        Assert.NotNull(reference);
        var secret = objects.Manifests.SingleOrDefault(m => m.Kind == "Secret" && m.Name == reference.Scalar("name"));

        // The base ships none (the operator creates `sessions-db`); an overlay that generates it gets the hashed name.
        if (directory == SiloBase.Directory)
        {
            Assert.Null(secret);
            Assert.Equal("sessions-db", reference.Scalar("name"));
        }
        else
        {
            Assert.NotNull(secret);
            Assert.Contains(reference.Scalar("key")!, secret.Root.StringMap("data").Keys);
        }
    }
}
