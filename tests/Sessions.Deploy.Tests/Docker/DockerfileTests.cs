using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sessions.Deploy.Tests.Support;

namespace Sessions.Deploy.Tests.Docker;

/// <summary>
/// deploy/docker/Dockerfile agrees with the manifests (ports, settings) and copies what publishing the gateway reads.
/// No Docker engine is needed: the file is read as text, instructions joined across line continuations.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string DockerfilePath = Repository.PathOf("deploy", "docker", "Dockerfile");

    /// <summary>Files at the repository root that dotnet, MSBuild or NuGet read when they exist.</summary>
    private static readonly string[] RootBuildFiles =
        ["global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config", "NuGet.Config"];

    private static IReadOnlyList<(string Instruction, string Arguments)> Instructions
    {
        get
        {
            var joined = Regex.Replace(File.ReadAllText(DockerfilePath), @"\\\r?\n", " ");
            return joined.Split('\n')
                .Select(line => line.Trim())
                .Where(line => line.Length > 0 && !line.StartsWith('#'))
                .Select(line => line.Split(' ', 2, StringSplitOptions.TrimEntries))
                .Select(parts => (parts[0].ToUpperInvariant(), parts.Length > 1 ? parts[1] : ""))
                .ToList();
        }
    }

    /// <summary>The instructions of the last stage: the image that runs.</summary>
    private static IReadOnlyList<(string Instruction, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.Select((instruction, index) => (instruction, index)).Last(i => i.instruction.Instruction == "FROM").index).ToList();

    private static IReadOnlyDictionary<string, string> Environment =>
        FinalStage.Where(i => i.Instruction == "ENV")
            .SelectMany(i => EnvAssignment().Matches(i.Arguments))
            .ToDictionary(match => match.Groups["name"].Value, match => match.Groups["value"].Value.Trim('"'));

    [Fact]
    public void Exposes_exactly_the_ports_of_the_silo_container()
    {
        var exposed = FinalStage.Where(i => i.Instruction == "EXPOSE")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(port => int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Order();

        Assert.Equal(SiloBase.ContainerPorts.Values.Order(), exposed);
    }

    [Fact]
    public void Sets_the_same_ports_as_the_manifests()
    {
        Assert.Equal(SiloBase.EnvironmentValue("SESSIONS_SILO_PORT"), Environment.GetValueOrDefault("SESSIONS_SILO_PORT"));
        Assert.Equal(SiloBase.EnvironmentValue("SESSIONS_GATEWAY_PORT"), Environment.GetValueOrDefault("SESSIONS_GATEWAY_PORT"));
        Assert.Equal(SiloBase.EnvironmentValue("ASPNETCORE_URLS"), Environment.GetValueOrDefault("ASPNETCORE_URLS"));
    }

    [Fact]
    public void Every_variable_the_image_sets_is_one_the_host_reads()
    {
        Assert.NotEmpty(Environment);
        Assert.All(Environment.Keys, name => Assert.True(HostSource.Reads(name), $"The Dockerfile sets {name}, which the host does not read."));
    }

    [Fact]
    public void The_build_copies_the_root_files_the_build_reads()
    {
        var copied = Instructions.Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(RootBuildFiles.Where(file => File.Exists(Repository.PathOf(file))), file => Assert.Contains(file, copied));
        Assert.Contains("src/", copied);
    }

    [Fact]
    public void Every_project_the_host_builds_from_is_under_src()
    {
        // The build stage copies src/ only.
        var source = Path.GetFullPath(Repository.PathOf("src")) + Path.DirectorySeparatorChar;
        var pending = new Stack<string>([Path.GetFullPath(Repository.PathOf("src", "Sessions.Host", "Sessions.Host.csproj"))]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            Assert.StartsWith(source, project, StringComparison.Ordinal);
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference").Select(r => (string?)r.Attribute("Include")).OfType<string>())
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, reference.Replace('\\', Path.DirectorySeparatorChar))));
            }
        }

        Assert.True(seen.Count > 1, "the host references no project: the walk is broken");
    }

    [Fact]
    public void Publishes_the_gateway_and_runs_its_dll()
    {
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet publish src/Sessions.Host/Sessions.Host.csproj", StringComparison.Ordinal));
        Assert.Contains("Sessions.Host.dll", FinalStage.Single(i => i.Instruction == "ENTRYPOINT").Arguments, StringComparison.Ordinal);
    }

    [GeneratedRegex("""(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvAssignment();
}
