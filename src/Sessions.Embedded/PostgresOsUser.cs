namespace Sessions.Embedded;

/// <summary>
/// Runs PostgreSQL's programs as the right OS user. initdb, pg_ctl and postgres refuse to run as root, so a
/// root host runs them as the <c>postgres</c> user through <c>runuser</c> and hands it the data folder;
/// an ordinary user runs them directly and owns everything already.
/// </summary>
internal sealed class PostgresOsUser
{
    private const string ServiceUser = "postgres";
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(30);

    // runuser lives in /usr/sbin, which is not always on a service's PATH.
    private static readonly Lazy<string> RunUser = new(() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists)
        ?? throw new EmbeddedPostgresException("Running as root needs 'runuser' (util-linux) to start PostgreSQL as the 'postgres' user."));

    private PostgresOsUser(bool switchUser) => SwitchesUser = switchUser;

    /// <summary>True when commands run as the <c>postgres</c> user rather than as this process's user.</summary>
    public bool SwitchesUser { get; }

    public static PostgresOsUser ForCurrentProcess() => new(Environment.IsPrivilegedProcess);

    public async Task<ProcessResult> RunAsync(
        string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout, CancellationToken ct)
    {
        if (!SwitchesUser)
        {
            return await ProcessRunner.RunAsync(program, arguments, workingDirectory, timeout, ct).ConfigureAwait(false);
        }

        var result = await ProcessRunner.RunAsync(
            RunUser.Value, ["-u", ServiceUser, "--", program, .. arguments], workingDirectory, timeout, ct).ConfigureAwait(false);
        if (!result.Succeeded && result.StandardError.Contains("user postgres does not exist", StringComparison.OrdinalIgnoreCase))
        {
            throw new EmbeddedPostgresException(
                "Running as root needs an OS user 'postgres' to own the database (apt-get install -y postgresql creates it).");
        }

        return result;
    }

    /// <summary>Gives <paramref name="directory"/> (not its contents) to the service user, when there is one.</summary>
    public async Task TakeOwnershipAsync(string directory, CancellationToken ct)
    {
        if (!SwitchesUser)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("chown", [$"{ServiceUser}:", directory], "/", HelperTimeout, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"Could not give '{directory}' to the '{ServiceUser}' user: {result.Output}");
        }
    }

    /// <summary>Whether the user that runs PostgreSQL can get into <paramref name="directory"/> (every folder on the way is searchable).</summary>
    public async Task<bool> CanEnterAsync(string directory, CancellationToken ct)
    {
        var result = await RunAsync("test", ["-x", directory], "/", HelperTimeout, ct).ConfigureAwait(false);
        return result.Succeeded;
    }

    /// <summary>Whether the user that runs PostgreSQL can reach and write <paramref name="directory"/>.</summary>
    public async Task<bool> CanUseAsync(string directory, CancellationToken ct)
    {
        // test(1) uses access(2), which also fails when any parent folder is not searchable (e.g. /root is 0700).
        var result = await RunAsync("test", ["-w", directory, "-a", "-x", directory], "/", HelperTimeout, ct).ConfigureAwait(false);
        return result.Succeeded;
    }
}
