using System.Collections.Concurrent;
using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// What <c>kubectl kustomize</c> (or a standalone <c>kustomize build</c>) renders for a kustomization under
/// <c>deploy/k8s</c>: the objects as they would be applied, overlays' patches and generated names included. Without
/// either tool on PATH the tests that need it are skipped (<see cref="KustomizeTheoryAttribute"/>), not passed.
/// </summary>
public static class Kustomize
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<Manifest>>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The command and its leading arguments, or null when neither tool is on PATH.</summary>
    public static (string File, string[] Arguments)? Tool { get; } =
        OnPath("kubectl") is { } kubectl ? (kubectl, ["kustomize"])
        : OnPath("kustomize") is { } kustomize ? (kustomize, ["build"])
        : null;

    /// <summary>The rendered objects of a kustomization folder (relative to <c>deploy/k8s</c>); rendered once per run.</summary>
    public static IReadOnlyList<Manifest> Render(string directory) =>
        Rendered.GetOrAdd(directory, d => new Lazy<IReadOnlyList<Manifest>>(() => RenderNow(d))).Value;

    public static SiloObjects Objects(string directory) => new($"{directory} (rendered)", Render(directory));

    private static IReadOnlyList<Manifest> RenderNow(string directory)
    {
        var (file, arguments) = Tool ?? throw new InvalidOperationException("Neither kubectl nor kustomize is on PATH.");
        var info = new ProcessStartInfo(file, [.. arguments, Path.Combine(Repository.K8sDirectory, directory)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} {directory} took more than {Timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} {directory} failed ({process.ExitCode}):\n{errors.Result}");
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(output.Result));
        return stream.Documents
            .Where(document => document.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(document => new Manifest($"{directory} (rendered)", document.RootNode))
            .ToList();
    }

    private static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, OperatingSystem.IsWindows() ? name + ".exe" : name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A theory over rendered kustomizations: skipped, visibly, when neither kubectl nor kustomize is on PATH.</summary>
public sealed class KustomizeTheoryAttribute : TheoryAttribute
{
    public KustomizeTheoryAttribute()
    {
        if (Kustomize.Tool is null)
        {
            Skip = "Neither kubectl nor kustomize is on PATH: the rendered manifests are not checked.";
        }
    }
}
