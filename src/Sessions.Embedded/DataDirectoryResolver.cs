using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Sessions.Embedded;

/// <summary>
/// Picks the folder the server will actually use. A root host usually keeps its data under /root, which the
/// <c>postgres</c> user cannot traverse; rather than loosening permissions on someone's home, the cluster then
/// lives under <c>/var/tmp/sessions/&lt;hash of the requested path&gt;</c>, the same folder at every start.
/// </summary>
internal static class DataDirectoryResolver
{
    private const string FallbackRoot = "/var/tmp/sessions";

    // What EmbeddedPostgres keeps in a data folder (see PostgresCluster and DataDirectoryLock), and the admin key the
    // gateway generates next to it when none is configured.
    private static readonly HashSet<string> OwnEntries = ["pgdata", "pgdata.initdb", "postgres.log", "embedded-postgres.lock", "admin.key"];

    public static async Task<string> ResolveAsync(string requested, PostgresOsUser osUser, ILogger logger, CancellationToken ct)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(requested));
        if (await TryPrepareAsync(full, osUser, ct).ConfigureAwait(false))
        {
            return full;
        }

        var fallback = FallbackFor(full);
        if (!await TryPrepareAsync(fallback, osUser, ct).ConfigureAwait(false))
        {
            throw new EmbeddedPostgresException(
                $"Neither '{full}' nor '{fallback}' can be used by the OS user that runs PostgreSQL.");
        }

        EmbeddedPostgresLog.DataDirectoryFallback(logger, full, fallback);
        return fallback;
    }

    /// <summary>The stable stand-in folder for a data folder the service user cannot reach.</summary>
    public static string FallbackFor(string fullPath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(fullPath));
        return Path.Combine(FallbackRoot, Convert.ToHexStringLower(hash)[..12]);
    }

    private static async Task<bool> TryPrepareAsync(string directory, PostgresOsUser osUser, CancellationToken ct)
    {
        // Nothing is created or handed over where the service user could not get to anyway.
        var parent = Path.GetDirectoryName(directory);
        if (parent is not null)
        {
            Directory.CreateDirectory(parent);
            if (!await osUser.CanEnterAsync(parent, ct).ConfigureAwait(false))
            {
                return false;
            }
        }

        // Only a folder that is empty or already ours is handed over: a mistyped path such as "/" keeps its owner.
        var handOver = !Directory.Exists(directory)
            || Directory.EnumerateFileSystemEntries(directory).All(entry => OwnEntries.Contains(Path.GetFileName(entry)));
        Directory.CreateDirectory(directory);
        if (handOver)
        {
            await osUser.TakeOwnershipAsync(directory, ct).ConfigureAwait(false);
        }

        return await osUser.CanUseAsync(directory, ct).ConfigureAwait(false);
    }
}
