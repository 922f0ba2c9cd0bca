using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// The objects of one set of manifests (the files of <c>deploy/k8s/base</c>, or what kustomize renders for a
/// kustomization), with the silo Deployment's pod template and container picked out. Each lookup insists on exactly
/// one object of its kind, so a second Deployment or a renamed container fails loudly here instead of making a check
/// pass on the wrong object.
/// </summary>
public sealed class SiloObjects(string source, IReadOnlyList<Manifest> manifests)
{
    public const string ContainerName = "silo";
    public const string AppLabel = "app.kubernetes.io/name";
    public const string AppName = "sessions";

    /// <summary>The silo container's ports by role.</summary>
    public const string HttpPort = "http";
    public const string SiloPort = "orleans-silo";
    public const string GatewayPort = "orleans-gateway";

    public string Source { get; } = source;

    public IReadOnlyList<Manifest> Manifests { get; } = manifests;

    public Manifest Deployment => Only("Deployment");

    public Manifest ConfigMap => Only("ConfigMap");

    public Manifest PodDisruptionBudget => Only("PodDisruptionBudget");

    public Manifest HorizontalPodAutoscaler => Only("HorizontalPodAutoscaler");

    public Manifest ServiceAccount => Only("ServiceAccount");

    public Manifest Role => Only("Role");

    public Manifest RoleBinding => Only("RoleBinding");

    public Manifest NetworkPolicy => Only("NetworkPolicy");

    /// <summary>The Services of the app (an overlay's database Service is another app's).</summary>
    public IReadOnlyList<Manifest> Services =>
        Manifests.Where(m => m.Kind == "Service" && m.Root.StringMap("metadata.labels").GetValueOrDefault(AppLabel) == AppName).ToList();

    public Manifest HeadlessService => Assert.Single(Services, s => s.Root.Scalar("spec.clusterIP") == "None");

    public Manifest HttpService => Assert.Single(Services, s => s.Root.Scalar("spec.clusterIP") != "None");

    public YamlNode PodSpec => Deployment.Root.At("spec.template.spec") ?? throw new InvalidOperationException("No pod spec.");

    public IReadOnlyDictionary<string, string> PodLabels => Deployment.Root.StringMap("spec.template.metadata.labels");

    public YamlNode Container =>
        PodSpec.Items("containers").Named(ContainerName) ?? throw new InvalidOperationException($"No container '{ContainerName}'.");

    /// <summary>The container's ports by name.</summary>
    public IReadOnlyDictionary<string, int> ContainerPorts =>
        Container.Items("ports").ToDictionary(port => port.Scalar("name") ?? "", port => port.Integer("containerPort") ?? 0);

    /// <summary>Every environment variable the silo container gets: its <c>env</c> and the keys of ConfigMaps it loads whole.</summary>
    public IReadOnlyList<string> EnvironmentVariableNames
    {
        get
        {
            var names = Container.Items("env").Select(variable => variable.Scalar("name")).OfType<string>().ToList();
            foreach (var configMap in LoadedConfigMaps)
            {
                names.AddRange(configMap.Keys);
            }

            return names;
        }
    }

    /// <summary>The value the container sees for <paramref name="name"/>: from <c>env</c> or a loaded ConfigMap.</summary>
    public string? EnvironmentValue(string name) =>
        Container.Items("env").Named(name)?.Scalar("value")
        ?? LoadedConfigMaps.Select(data => data.GetValueOrDefault(name)).FirstOrDefault(value => value is not null);

    /// <summary>Whether a label selector's labels are all on the silo pods.</summary>
    public bool Selects(IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(label => PodLabels.GetValueOrDefault(label.Key) == label.Value);

    /// <summary>A port a Service or NetworkPolicy names (a container port name, or a number) as a number, or null.</summary>
    public int? ResolvePort(string? port) =>
        port is null ? null
        : ContainerPorts.TryGetValue(port, out var named) ? named
        : int.TryParse(port, out var number) ? number
        : null;

    private IEnumerable<IReadOnlyDictionary<string, string>> LoadedConfigMaps =>
        Container.Items("envFrom").Select(source => source.Scalar("configMapRef.name")).OfType<string>()
            .Select(name => Assert.Single(Manifests, m => m.Kind == "ConfigMap" && m.Name == name).Root.StringMap("data"));

    private Manifest Only(string kind) => Assert.Single(Manifests, m => m.Kind == kind);

    public override string ToString() => Source;
}
