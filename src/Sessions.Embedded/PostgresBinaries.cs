namespace Sessions.Embedded;

/// <summary>The PostgreSQL server programs of one installation (all from the same folder, so versions match).</summary>
internal sealed record PostgresBinaries(string Directory)
{
    private const string DebianInstallRoot = "/usr/lib/postgresql";

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>
    /// The override folder if given; else the folder of <c>initdb</c> on PATH; else the highest
    /// <c>/usr/lib/postgresql/N/bin</c> (Debian installs the server binaries off PATH).
    /// </summary>
    public static PostgresBinaries Locate(string? overrideDirectory)
    {
        if (overrideDirectory is not null)
        {
            var full = Path.GetFullPath(overrideDirectory);
            return IsComplete(full) ? new PostgresBinaries(full) : throw new PostgresBinariesNotFoundException(full);
        }

        return FromPath() ?? FromDebianInstallRoot() ?? throw new PostgresBinariesNotFoundException(null);
    }

    private static PostgresBinaries? FromPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initDb = Path.Combine(entry, "initdb");
            if (!File.Exists(initDb))
            {
                continue;
            }

            // /usr/local/bin/initdb is often a symlink; pg_ctl and postgres sit next to its target.
            var target = File.ResolveLinkTarget(initDb, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(initDb);
            var directory = Path.GetDirectoryName(target)!;
            if (IsComplete(directory))
            {
                return new PostgresBinaries(directory);
            }
        }

        return null;
    }

    private static PostgresBinaries? FromDebianInstallRoot()
    {
        if (!System.IO.Directory.Exists(DebianInstallRoot))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(DebianInstallRoot)
            .Select(versionDirectory => (Version: ParseMajorVersion(Path.GetFileName(versionDirectory)), Bin: Path.Combine(versionDirectory, "bin")))
            .Where(candidate => candidate.Version is not null && IsComplete(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => new PostgresBinaries(candidate.Bin))
            .FirstOrDefault();
    }

    private static double? ParseMajorVersion(string name) =>
        double.TryParse(name, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : null;

    private static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, "initdb"))
        && File.Exists(Path.Combine(directory, "pg_ctl"))
        && File.Exists(Path.Combine(directory, "postgres"));
}
