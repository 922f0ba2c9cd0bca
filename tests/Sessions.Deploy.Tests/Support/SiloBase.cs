using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>The objects of <c>deploy/k8s/base</c> as its files list them (see <see cref="SiloObjects"/>).</summary>
public static class SiloBase
{
    public const string Directory = "base";
    public const string ContainerName = SiloObjects.ContainerName;

    public static Kustomization Kustomization => Kustomization.Load(Directory);

    public static SiloObjects Objects => new(Directory, Kustomization.ResourceManifests);

    public static IReadOnlyList<Manifest> Manifests => Objects.Manifests;

    public static Manifest Deployment => Objects.Deployment;

    public static Manifest ConfigMap => Objects.ConfigMap;

    public static Manifest PodDisruptionBudget => Objects.PodDisruptionBudget;

    public static Manifest HorizontalPodAutoscaler => Objects.HorizontalPodAutoscaler;

    public static Manifest ServiceAccount => Objects.ServiceAccount;

    public static Manifest Role => Objects.Role;

    public static Manifest RoleBinding => Objects.RoleBinding;

    public static Manifest NetworkPolicy => Objects.NetworkPolicy;

    public static IReadOnlyList<Manifest> Services => Objects.Services;

    public static Manifest HeadlessService => Objects.HeadlessService;

    public static Manifest HttpService => Objects.HttpService;

    public static YamlNode PodSpec => Objects.PodSpec;

    public static IReadOnlyDictionary<string, string> PodLabels => Objects.PodLabels;

    public static YamlNode Container => Objects.Container;

    public static IReadOnlyDictionary<string, int> ContainerPorts => Objects.ContainerPorts;

    public static IReadOnlyList<string> EnvironmentVariableNames => Objects.EnvironmentVariableNames;

    public static string? EnvironmentValue(string name) => Objects.EnvironmentValue(name);
}
