using System.Text.RegularExpressions;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// The host's C# sources (<c>src/**/*.cs</c>, build outputs aside), to check that a setting the manifests pass is one
/// the host reads. The host reads its settings by name from configuration, so a name it reads appears in the source
/// as a string literal; the exceptions are read by the framework, by a package the host turns on, or through a typed
/// accessor, and are listed here.
/// </summary>
public static partial class HostSource
{
    private const string ConnectionStringPrefix = "ConnectionStrings__";

    private static readonly Lazy<IReadOnlyList<string>> Files = new(() =>
        Directory.EnumerateFiles(Repository.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !IsBuildOutput(file))
            .Select(File.ReadAllText)
            .ToList());

    /// <summary>Read by ASP.NET itself: <c>ASPNETCORE_</c>-prefixed variables are the web host's settings.</summary>
    private static readonly HashSet<string> FrameworkVariables = ["ASPNETCORE_URLS"];

    /// <summary>Sections the default host configuration reads (<c>Logging:LogLevel:*</c> sets log levels).</summary>
    private static readonly string[] FrameworkSectionPrefixes = ["Logging__"];

    /// <summary>The variable that turns on Orleans' Kubernetes hosting in the host.</summary>
    public const string KubernetesHostingVariable = "SESSIONS_KUBERNETES_HOSTING";

    /// <summary>Whether the host calls <c>UseKubernetesHosting</c> and reads the variable that switches it on.</summary>
    public static bool EnablesKubernetesHosting =>
        Mentions("UseKubernetesHosting(") && Files.Value.Any(text => text.Contains($"\"{KubernetesHostingVariable}\"", StringComparison.Ordinal));

    /// <summary>Every <c>SESSIONS_*</c> name the host's sources contain as a string literal.</summary>
    public static IReadOnlySet<string> SessionsVariables =>
        Files.Value.SelectMany(text => SessionsVariable().Matches(text)).Select(match => match.Groups["name"].Value).ToHashSet();

    /// <summary>Every configuration section <c>Sessions:&lt;Name&gt;</c> the host's sources name as a string literal (<c>Sessions:Limits</c>, ...).</summary>
    public static IReadOnlySet<string> SessionsSections =>
        Files.Value.SelectMany(text => SessionsSection().Matches(text)).Select(match => match.Groups["name"].Value).ToHashSet();

    /// <summary>Whether any source contains <paramref name="text"/> (an API the host calls, an option it sets).</summary>
    public static bool Mentions(string text) => Files.Value.Any(file => file.Contains(text, StringComparison.Ordinal));

    public static bool Reads(string environmentVariable)
    {
        if (FrameworkVariables.Contains(environmentVariable)
            || FrameworkSectionPrefixes.Any(prefix => environmentVariable.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return true;
        }

        // The pod's name, namespace and address are read by the Kubernetes hosting package itself (POD_NAME and
        // POD_IP by the host too); Orleans' own id variables are left out on purpose: the host configures the ids.
        if (EnablesKubernetesHosting && OrleansKubernetesHosting.PodVariables.Contains(environmentVariable))
        {
            return true;
        }

        if (Files.Value.Any(text => text.Contains($"\"{environmentVariable}\"", StringComparison.Ordinal)))
        {
            return true;
        }

        return environmentVariable.StartsWith(ConnectionStringPrefix, StringComparison.Ordinal)
            && ReadsConnectionString(environmentVariable[ConnectionStringPrefix.Length..]);
    }

    // ConnectionStrings__X is configuration key ConnectionStrings:X, which GetConnectionString("X") reads; the name
    // may be passed as a literal or through a string constant declared in the same file.
    private static bool ReadsConnectionString(string name) =>
        Files.Value.Any(text =>
            text.Contains($"GetConnectionString(\"{name}\")", StringComparison.Ordinal)
            || text.Contains($"\"ConnectionStrings:{name}\"", StringComparison.Ordinal)
            || ConstantDeclaration().Matches(text).Any(constant =>
                constant.Groups["value"].Value == name
                && text.Contains($"GetConnectionString({constant.Groups["name"].Value})", StringComparison.Ordinal)));

    private static bool IsBuildOutput(string file)
    {
        var parts = file.Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    [GeneratedRegex("\"(?<name>SESSIONS_[A-Z0-9_]+)\"")]
    private static partial Regex SessionsVariable();

    [GeneratedRegex("\"Sessions:(?<name>[A-Za-z]+)")]
    private static partial Regex SessionsSection();

    [GeneratedRegex("""const\s+string\s+(?<name>\w+)\s*=\s*"(?<value>[^"]*)"\s*;""")]
    private static partial Regex ConstantDeclaration();
}
