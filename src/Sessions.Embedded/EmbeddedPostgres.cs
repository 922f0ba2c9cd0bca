using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sessions.Embedded;

/// <summary>
/// A private PostgreSQL server for single-machine deployments and tests: initialized on first use, listening
/// on loopback TCP only, and stopped on dispose. Start-up recovers from whatever a killed host left behind.
/// </summary>
/// <remarks>
/// Start-up, in order: find the binaries; pick a data folder the server's OS user can reach; lock it against
/// other live hosts; initdb once; stop a leftover server or clear a stale pid file; start (retrying on a port
/// taken meanwhile); poll until a connection succeeds; create the database. All under one deadline.
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const int MaxStartAttempts = 5;

    private readonly PostgresCluster _cluster;
    private readonly DataDirectoryLock _lock;
    private readonly ILogger _logger;
    private readonly int _postmasterPid;
    private int _released;

    private EmbeddedPostgres(PostgresCluster cluster, DataDirectoryLock directoryLock, ILogger logger,
        int postmasterPid, string dataDirectory, string connectionString)
    {
        _cluster = cluster;
        _lock = directoryLock;
        _logger = logger;
        _postmasterPid = postmasterPid;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
    }

    /// <summary>Connects as the <c>postgres</c> superuser to the database named by the options.</summary>
    public string ConnectionString { get; }

    /// <summary>The data folder in use: the requested one, or its stand-in under /var/tmp/sessions.</summary>
    public string DataDirectory { get; }

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DatabaseName);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);

        var binaries = PostgresBinaries.Locate(options.BinariesDirectory);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.StartTimeout);
        try
        {
            return await StartCoreAsync(options, binaries, logger, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new EmbeddedPostgresException($"PostgreSQL did not start within {options.StartTimeout.TotalSeconds:0} s.", e);
        }
    }

    /// <summary>
    /// Stops a server that a dead host left running in <paramref name="dataDirectory"/> (as reported by
    /// <see cref="DataDirectory"/>); does nothing if none runs. Fails if a live host holds the folder.
    /// </summary>
    public static async Task StopAbandonedServerAsync(string dataDirectory, ILogger logger, CancellationToken ct)
    {
        using var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        var cluster = new PostgresCluster(dataDirectory, PostgresBinaries.Locate(null), PostgresOsUser.ForCurrentProcess(), logger);
        await cluster.StopLeftoverServerAsync(ct).ConfigureAwait(false);
    }

    private static async Task<EmbeddedPostgres> StartCoreAsync(
        EmbeddedPostgresOptions options, PostgresBinaries binaries, ILogger logger, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var osUser = PostgresOsUser.ForCurrentProcess();
        var dataDirectory = await DataDirectoryResolver.ResolveAsync(options.DataDirectory, osUser, logger, ct).ConfigureAwait(false);
        var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            var cluster = new PostgresCluster(dataDirectory, binaries, osUser, logger);
            await cluster.EnsureInitializedAsync(ct).ConfigureAwait(false);
            await cluster.StopLeftoverServerAsync(ct).ConfigureAwait(false);
            var port = await StartServerAsync(cluster, options, logger, ct).ConfigureAwait(false);
            var pid = cluster.ReadPostmasterPid()
                ?? throw new EmbeddedPostgresException($"PostgreSQL started but wrote no postmaster.pid in '{cluster.ClusterDirectory}'.");
            try
            {
                var server = BuildConnectionString(port, "postgres", pooling: false);
                await WaitUntilAcceptingAsync(server, ct).ConfigureAwait(false);
                await DatabaseCreator.EnsureExistsAsync(server, options.DatabaseName, logger, ct).ConfigureAwait(false);
            }
            catch
            {
                await cluster.StopAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }

            EmbeddedPostgresLog.Started(logger, pid, port, stopwatch.ElapsedMilliseconds, dataDirectory);
            return new EmbeddedPostgres(cluster, directoryLock, logger, pid, dataDirectory,
                BuildConnectionString(port, options.DatabaseName));
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private static async Task<int> StartServerAsync(
        PostgresCluster cluster, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FreePort.Pick() : options.Port;
            var (started, failure) = await cluster.TryStartAsync(port, options.MaxConnections, options.StartTimeout, ct).ConfigureAwait(false);
            if (started)
            {
                return port;
            }

            if (attempt == MaxStartAttempts)
            {
                throw new EmbeddedPostgresException($"PostgreSQL did not start after {attempt} attempts:{Environment.NewLine}{failure}");
            }

            // Typical causes clear up on their own: the picked port was taken meanwhile, or processes of a killed
            // server still hold its shared memory for a moment.
            EmbeddedPostgresLog.StartAttemptFailed(logger, attempt, port, failure);
            await cluster.StopLeftoverServerAsync(ct).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct).ConfigureAwait(false);
        }
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is NpgsqlException && !ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct).ConfigureAwait(false);
            }
        }
    }

    private static string BuildConnectionString(int port, string database, bool pooling = true)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = database };
        if (!pooling)
        {
            // Start-up's own short-lived connections must not linger in a pool once the host has started.
            builder.Pooling = false;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// What kill -9 of the host leaves behind, for tests: the server keeps running and the folder lock is released.
    /// </summary>
    internal void AbandonServer()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _lock.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        try
        {
            // Another host may have taken over the folder (e.g. after this one was abandoned); never stop its server.
            if (_cluster.ReadPostmasterPid() != _postmasterPid)
            {
                EmbeddedPostgresLog.ServerNoLongerOurs(_logger, _postmasterPid, _cluster.ClusterDirectory);
            }
            else if (await _cluster.StopAsync(CancellationToken.None).ConfigureAwait(false))
            {
                EmbeddedPostgresLog.Stopped(_logger, _postmasterPid);
            }
            else
            {
                EmbeddedPostgresLog.StopGaveUp(_logger, _postmasterPid, null);
            }
        }
        catch (Exception e) when (e is EmbeddedPostgresException or IOException)
        {
            EmbeddedPostgresLog.StopGaveUp(_logger, _postmasterPid, e);
        }
        finally
        {
            _lock.Dispose();
        }
    }
}
