using Sessions.Testing.Cluster;
using Xunit.Abstractions;

namespace Sessions.Gateway.Tests.Layout;

/// <summary>
/// The gateway's folders form layers: no folder uses one that uses it back, directly or around a circle, and neither
/// do the subfolders of one folder (the capabilities under <c>Api/</c>). A cycle is reported with the edges that make it.
/// </summary>
public sealed class FolderDependencyTests(ITestOutputHelper output)
{
    private const string RootNamespace = "Sessions.Gateway";

    [Fact]
    public void The_gateways_folders_use_each_other_without_cycles()
    {
        var graph = FolderGraph.Build(GatewaySources(), RootNamespace);
        output.WriteLine(graph.Describe());

        // The scan must see the layering it judges, or it would pass on a graph with no edges at all.
        Assert.Contains("Problems", graph.Uses("Api"));
        Assert.Contains("Authentication", graph.Uses("Realtime"));
        Assert.True(graph.Cycles().Count == 0, Explain(graph));
    }

    [Fact]
    public void The_subfolders_of_each_folder_use_each_other_without_cycles()
    {
        var graph = FolderGraph.Build(GatewaySources(), RootNamespace, depth: 2);

        // Among subfolders only: a folder's own files (Api/GatewayJsonContext.cs lists every capability's contracts) are
        // its root, above its subfolders, and the folders themselves are judged by the test above.
        var cycles = graph.Cycles(folder => folder.Contains('/', StringComparison.Ordinal));

        Assert.Contains("Problems", graph.Uses("Api/Messages"));
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(cycle =>
            $"These folders use each other in a circle: {string.Join(", ", cycle)}\n{graph.Describe(cycle)}")));
    }

    [Fact]
    public void A_folder_that_uses_one_that_uses_it_back_is_a_cycle()
    {
        var graph = FolderGraph.Build(
            [
                ("Low/Thing.cs", "namespace Sessions.Gateway.Low;\npublic sealed class Thing\n{\n    public High.Other? Back;\n}\n"),
                ("High/Other.cs", "using Sessions.Gateway.Low;\n\nnamespace Sessions.Gateway.High;\npublic sealed class Other(Thing thing);\n"),
                ("Quiet/Hidden.cs", "namespace Sessions.Gateway.Quiet;\ninternal sealed class Holder\n{\n    private sealed record Other(int A);\n}\n"),
                ("Top/Uses.cs", "// Thing, in a comment\nnamespace Sessions.Gateway.Top;\ninternal static class Uses\n{\n    private const string Name = \"Other\";\n}\n"),
            ],
            RootNamespace);

        Assert.Equal(["High", "Low"], Assert.Single(graph.Cycles()));
        Assert.Empty(graph.Uses("Top"));
    }

    private static List<(string Path, string Text)> GatewaySources()
    {
        var root = Path.Combine(SiloProcess.RepositoryRoot(), "src", RootNamespace);
        return [.. Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Select(path => (path, File.ReadAllText(Path.Combine(root, path))))];
    }

    private static string Explain(FolderGraph graph) => string.Join("\n\n", graph.Cycles().Select(cycle =>
        $"These folders use each other in a circle: {string.Join(", ", cycle)}\n{graph.Describe(cycle)}"));
}
