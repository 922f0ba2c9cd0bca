namespace Sessions.Deploy.Tests.Support;

/// <summary>
/// The checkout under test, found by walking up from the test binaries to <c>Sessions.Orleans.sln</c>: the tests
/// read the files as they are on disk, not copies in the output folder.
/// </summary>
public static class Repository
{
    private const string SolutionFile = "Sessions.Orleans.sln";

    public static string Root { get; } = FindRoot();

    public static string K8sDirectory => Path.Combine(Root, "deploy", "k8s");

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}.");
    }
}
