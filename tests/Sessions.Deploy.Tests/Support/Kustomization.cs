namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// A kustomization folder under <c>deploy/k8s</c> and what it pulls in: its <c>resources</c> (files, or folders
/// with their own kustomization), <c>patches</c> and generators. Only the parts these manifests use are read.
/// </summary>
public sealed class Kustomization
{
    private Kustomization(string directory, Manifest file)
    {
        Directory = directory;
        File = file;
    }

    /// <summary>The folder, relative to <c>deploy/k8s</c> (<c>base</c>, <c>overlays/local-postgres</c>).</summary>
    public string Directory { get; }

    public Manifest File { get; }

    public IReadOnlyList<string> Resources => File.Root.Items("resources").Select(ScalarOf).ToList();

    public IReadOnlyList<string> PatchFiles =>
        File.Root.Items("patches").Select(patch => patch.Scalar("path")).OfType<string>().ToList();

    /// <summary>
    /// The documents of the resources that are files (a folder resource is another kustomization). A missing file is
    /// left out: <c>Every_resource_and_patch_a_kustomization_names_exists</c> reports it, and the other checks still run.
    /// </summary>
    public IReadOnlyList<Manifest> ResourceManifests =>
        Resources.Where(resource => System.IO.File.Exists(Full(resource))).SelectMany(resource => Manifest.LoadFile(Relative(resource))).ToList();

    public IReadOnlyList<Kustomization> Bases =>
        Resources.Where(IsDirectory).Select(resource => Load(Relative(resource))).ToList();

    /// <summary>Documents of this kustomization and of every base it builds on (before patches).</summary>
    public IReadOnlyList<Manifest> AllResourceManifests =>
        [.. Bases.SelectMany(b => b.AllResourceManifests), .. ResourceManifests];

    /// <summary>A <c>secretGenerator</c> entry's <c>literals</c> as key/value pairs, or null when there is no such entry.</summary>
    public IReadOnlyDictionary<string, string>? GeneratedSecretLiterals(string name)
    {
        var generator = File.Root.Items("secretGenerator").Named(name);
        return generator?.Items("literals").Select(ScalarOf).Select(literal => literal.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : "");
    }

    /// <summary>A path a kustomization names, relative to <c>deploy/k8s</c> (a resource may be <c>../../base</c>).</summary>
    public string Relative(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Repository.K8sDirectory, Directory, path));
        return Path.GetRelativePath(Repository.K8sDirectory, full).Replace('\\', '/');
    }

    public bool Exists(string path) => System.IO.File.Exists(Full(path)) || System.IO.Directory.Exists(Full(path));

    private bool IsDirectory(string path) => System.IO.Directory.Exists(Full(path));

    private string Full(string path) => Path.Combine(Repository.K8sDirectory, Relative(path));

    public static Kustomization Load(string directory) =>
        new(directory, Manifest.LoadFile(Path.Combine(directory, "kustomization.yaml").Replace('\\', '/')).Single());

    /// <summary>Every folder under <c>deploy/k8s</c> that holds a <c>kustomization.yaml</c>.</summary>
    public static IReadOnlyList<string> AllDirectories() =>
        Manifest.AllFiles()
            .Where(file => Path.GetFileName(file) == "kustomization.yaml")
            .Select(file => Path.GetDirectoryName(file)!.Replace('\\', '/'))
            .ToList();

    private static string ScalarOf(YamlDotNet.RepresentationModel.YamlNode node) =>
        (node as YamlDotNet.RepresentationModel.YamlScalarNode)?.Value ?? "";

    public override string ToString() => Directory;
}
