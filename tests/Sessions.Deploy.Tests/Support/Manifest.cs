using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>One YAML document of a file under <c>deploy/k8s</c>.</summary>
/// <param name="File">The file, relative to <c>deploy/k8s</c> with forward slashes.</param>
public sealed record Manifest(string File, YamlNode Root)
{
    public string? ApiVersion => Root.Scalar("apiVersion");

    public string? Kind => Root.Scalar("kind");

    public string? Name => Root.Scalar("metadata.name");

    public override string ToString() => $"{Kind}/{Name} ({File})";

    /// <summary>Every document of a file; an empty document (a trailing <c>---</c>) is skipped.</summary>
    public static IReadOnlyList<Manifest> LoadFile(string relativeFile)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Repository.K8sDirectory, relativeFile)))
        {
            stream.Load(reader);
        }

        return stream.Documents
            .Where(document => document.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(document => new Manifest(relativeFile, document.RootNode))
            .ToList();
    }

    /// <summary>Every YAML file under <c>deploy/k8s</c>, relative to it.</summary>
    public static IReadOnlyList<string> AllFiles() =>
        Directory.EnumerateFiles(Repository.K8sDirectory, "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Repository.K8sDirectory, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
}
