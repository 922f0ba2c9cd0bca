using System.Text.RegularExpressions;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// The host's C# sources (<c>src/**/*.cs</c>, build outputs aside), to check that a setting the manifests pass is one
/// the host reads. The host reads its settings by name from configuration, so a name it reads appears in the source
/// as a string literal; the exceptions are read by the framework or through a typed accessor, and are listed here.
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

    public static bool Reads(string environmentVariable)
    {
        if (FrameworkVariables.Contains(environmentVariable)
            || FrameworkSectionPrefixes.Any(prefix => environmentVariable.StartsWith(prefix, StringComparison.Ordinal)))
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

    [GeneratedRegex("""const\s+string\s+(?<name>\w+)\s*=\s*"(?<value>[^"]*)"\s*;""")]
    private static partial Regex ConstantDeclaration();
}
