using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// Reads a YAML tree by dotted paths of mapping keys (<c>"spec.template.metadata.labels"</c>). A missing step gives
/// null or an empty result, so a test states what it expects instead of catching exceptions.
/// </summary>
public static class YamlPaths
{
    public static YamlNode? At(this YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var key in path.Split('.'))
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? Scalar(this YamlNode node, string path) => (node.At(path) as YamlScalarNode)?.Value;

    public static int? Integer(this YamlNode node, string path) =>
        int.TryParse(node.Scalar(path), out var value) ? value : null;

    public static IReadOnlyList<YamlNode> Items(this YamlNode node, string path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>A mapping of scalars (labels, selectors, ConfigMap data) as a dictionary; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode node, string path) =>
        node.At(path) is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => (pair.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>The item of a list of mappings whose <c>name</c> is <paramref name="name"/> (containers, ports, env).</summary>
    public static YamlNode? Named(this IEnumerable<YamlNode> items, string name) =>
        items.FirstOrDefault(item => item.Scalar("name") == name);
}
