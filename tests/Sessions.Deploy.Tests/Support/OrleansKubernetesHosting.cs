using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// What <c>Microsoft.Orleans.Hosting.Kubernetes</c> (at the version the host uses) needs from a deployment, read from
/// its assembly's metadata rather than written down here: the label and variable names it declares as constants on
/// <c>KubernetesHostingOptions</c>, and the Kubernetes API operations its code calls. A new Orleans version that
/// calls another operation, or renames a label, then fails the tests instead of failing in a cluster.
/// </summary>
public static partial class OrleansKubernetesHosting
{
    private const string OptionsType = "Orleans.Hosting.Kubernetes.KubernetesHostingOptions";

    /// <summary>The RBAC verb of each operation of the Kubernetes client (<c>k8s</c>) the package may call.</summary>
    private static readonly Dictionary<string, string> VerbOfOperation = new(StringComparer.Ordinal)
    {
        ["Read"] = "get",
        ["List"] = "list",
        // The client's watch is a list request with watch=true, which RBAC authorizes as `watch`.
        ["WatchList"] = "watch",
        ["Create"] = "create",
        ["Replace"] = "update",
        ["Patch"] = "patch",
        ["Delete"] = "delete",
        ["DeleteCollection"] = "deletecollection",
    };

    private static readonly Lazy<(IReadOnlyDictionary<string, string> Constants, IReadOnlyList<string> Calls)> Metadata = new(Read);

    public static string AssemblyPath { get; } =
        typeof(OrleansKubernetesHosting).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "OrleansKubernetesHostingAssembly").Value
        ?? throw new InvalidOperationException("The test assembly does not name the Kubernetes hosting assembly.");

    /// <summary>The <c>const string</c> fields of <c>KubernetesHostingOptions</c>, by field name.</summary>
    public static IReadOnlyDictionary<string, string> Constants => Metadata.Value.Constants;

    public static string ServiceIdLabel => Constants["ServiceIdLabel"];

    public static string ClusterIdLabel => Constants["ClusterIdLabel"];

    public static string PodNameVariable => Constants["PodNameEnvironmentVariable"];

    public static string PodNamespaceVariable => Constants["PodNamespaceEnvironmentVariable"];

    public static string PodIpVariable => Constants["PodIPEnvironmentVariable"];

    /// <summary>Orleans' own names for the ids, which would override the ids the host configures.</summary>
    public static IReadOnlyList<string> OrleansIdVariables => [Constants["ClusterIdEnvironmentVariable"], Constants["ServiceIdEnvironmentVariable"]];

    /// <summary>The pod variables the package reads itself.</summary>
    public static IReadOnlyList<string> PodVariables => [PodNameVariable, PodNamespaceVariable, PodIpVariable];

    /// <summary>Names of the Kubernetes client methods the package calls (<c>ReadNamespacedPodAsync</c>, ...).</summary>
    public static IReadOnlyList<string> KubernetesApiCalls => Metadata.Value.Calls;

    /// <summary>Each call as the RBAC resource and verb it needs (<c>pods</c>, <c>get</c>); an unknown call throws.</summary>
    public static IReadOnlyList<(string Resource, string Verb, string Call)> RequiredPermissions =>
        KubernetesApiCalls.Select(call =>
        {
            var match = NamespacedCall().Match(call);
            if (!match.Success || !VerbOfOperation.TryGetValue(match.Groups["operation"].Value, out var verb))
            {
                throw new InvalidOperationException($"The Kubernetes hosting package calls {call}, which these tests cannot map to an RBAC rule.");
            }

            // Kinds are singular in method names and plural (lower case) in RBAC: Pod -> pods.
            return (match.Groups["kind"].Value.ToLowerInvariant() + "s", verb, call);
        }).ToList();

    private static (IReadOnlyDictionary<string, string>, IReadOnlyList<string>) Read()
    {
        using var stream = File.OpenRead(AssemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();

        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        var options = reader.TypeDefinitions.Select(reader.GetTypeDefinition)
            .Single(type => $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}" == OptionsType);
        foreach (var field in options.GetFields().Select(reader.GetFieldDefinition))
        {
            var constant = field.GetDefaultValue();
            if (!constant.IsNil && reader.GetConstant(constant) is { TypeCode: ConstantTypeCode.String } value)
            {
                constants[reader.GetString(field.Name)] = reader.GetBlobReader(value.Value).ReadUTF16(reader.GetBlobReader(value.Value).Length);
            }
        }

        // Calls into the Kubernetes client are references to members of types in its `k8s` namespaces; of those, the
        // asynchronous operations are the API requests (models and helpers are not).
        var calls = reader.MemberReferences.Select(reader.GetMemberReference)
            .Where(member => member.GetKind() == MemberReferenceKind.Method && IsKubernetesClientType(reader, member.Parent))
            .Select(member => reader.GetString(member.Name))
            .Where(name => name.EndsWith("Async", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return (constants, calls);
    }

    private static bool IsKubernetesClientType(MetadataReader reader, EntityHandle parent)
    {
        var @namespace = parent.Kind switch
        {
            HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Namespace),
            HandleKind.TypeSpecification => null,
            _ => null,
        };
        return @namespace is not null && (@namespace == "k8s" || @namespace.StartsWith("k8s.", StringComparison.Ordinal));
    }

    [GeneratedRegex("^(?<operation>[A-Z][A-Za-z]*?)Namespaced(?<kind>[A-Z][A-Za-z]*?)(WithHttpMessages)?Async$")]
    private static partial Regex NamespacedCall();
}
