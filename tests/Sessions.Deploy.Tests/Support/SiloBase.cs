using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// The objects of <c>deploy/k8s/base</c> as kustomize lists them, with the silo Deployment's pod template and
/// container picked out. Each lookup insists on exactly one object of its kind, so a second Deployment or a
/// renamed container fails loudly here instead of making a check pass on the wrong object.
/// </summary>
public static class SiloBase
{
    public const string Directory = "base";
    public const string ContainerName = "silo";

    public static Kustomization Kustomization => Kustomization.Load(Directory);

    public static IReadOnlyList<Manifest> Manifests => Kustomization.ResourceManifests;

    public static Manifest Deployment => Only("Deployment");

    public static Manifest ConfigMap => Only("ConfigMap");

    public static Manifest PodDisruptionBudget => Only("PodDisruptionBudget");

    public static Manifest HorizontalPodAutoscaler => Only("HorizontalPodAutoscaler");

    public static IReadOnlyList<Manifest> Services => Manifests.Where(m => m.Kind == "Service").ToList();

    public static Manifest HeadlessService => Assert.Single(Services, s => s.Root.Scalar("spec.clusterIP") == "None");

    public static Manifest HttpService => Assert.Single(Services, s => s.Root.Scalar("spec.clusterIP") != "None");

    public static YamlNode PodSpec => Deployment.Root.At("spec.template.spec") ?? throw new InvalidOperationException("No pod spec.");

    public static IReadOnlyDictionary<string, string> PodLabels => Deployment.Root.StringMap("spec.template.metadata.labels");

    public static YamlNode Container =>
        PodSpec.Items("containers").Named(ContainerName) ?? throw new InvalidOperationException($"No container '{ContainerName}'.");

    /// <summary>The container's ports by name.</summary>
    public static IReadOnlyDictionary<string, int> ContainerPorts =>
        Container.Items("ports").ToDictionary(port => port.Scalar("name") ?? "", port => port.Integer("containerPort") ?? 0);

    /// <summary>Every environment variable the silo container gets: its <c>env</c> and the keys of ConfigMaps it loads whole.</summary>
    public static IReadOnlyList<string> EnvironmentVariableNames
    {
        get
        {
            var names = Container.Items("env").Select(variable => variable.Scalar("name")).OfType<string>().ToList();
            foreach (var configMapName in Container.Items("envFrom").Select(source => source.Scalar("configMapRef.name")).OfType<string>())
            {
                var configMap = Assert.Single(Manifests, m => m.Kind == "ConfigMap" && m.Name == configMapName);
                names.AddRange(configMap.Root.StringMap("data").Keys);
            }

            return names;
        }
    }

    /// <summary>The value the container sees for <paramref name="name"/>: from <c>env</c> or a loaded ConfigMap.</summary>
    public static string? EnvironmentValue(string name) =>
        Container.Items("env").Named(name)?.Scalar("value")
        ?? Container.Items("envFrom").Select(source => source.Scalar("configMapRef.name")).OfType<string>()
            .Select(configMapName => Manifests.Single(m => m.Kind == "ConfigMap" && m.Name == configMapName).Root.StringMap("data"))
            .Select(data => data.GetValueOrDefault(name))
            .FirstOrDefault(value => value is not null);

    private static Manifest Only(string kind) => Assert.Single(Manifests, m => m.Kind == kind);
}
