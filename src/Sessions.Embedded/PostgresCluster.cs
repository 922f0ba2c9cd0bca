using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Sessions.Embedded;

/// <summary>
/// One PostgreSQL cluster folder (<c>pgdata</c>) and the pg_ctl/initdb operations on it. It repairs what an
/// interrupted run leaves behind: a half-written initdb, a stale <c>postmaster.pid</c>, a server still running
/// from a host that was killed.
/// </summary>
internal sealed class PostgresCluster
{
    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dataDirectory;
    private readonly PostgresBinaries _binaries;
    private readonly PostgresOsUser _osUser;
    private readonly ILogger _logger;

    public PostgresCluster(string dataDirectory, PostgresBinaries binaries, PostgresOsUser osUser, ILogger logger)
    {
        _dataDirectory = dataDirectory;
        _binaries = binaries;
        _osUser = osUser;
        _logger = logger;
    }

    public string ClusterDirectory => Path.Combine(_dataDirectory, "pgdata");

    public string LogFile => Path.Combine(_dataDirectory, "postgres.log");

    private string PidFile => Path.Combine(ClusterDirectory, "postmaster.pid");

    // initdb writes here and the folder is renamed to pgdata only once initdb succeeded, so a pgdata folder
    // always holds a complete cluster (a pgdata without PG_VERSION can only come from elsewhere; it is redone too).
    private string InitDbDirectory => Path.Combine(_dataDirectory, "pgdata.initdb");

    public async Task EnsureInitializedAsync(CancellationToken ct)
    {
        if (File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            return;
        }

        if (Directory.Exists(ClusterDirectory))
        {
            EmbeddedPostgresLog.WipingIncompleteCluster(_logger, ClusterDirectory);
            Directory.Delete(ClusterDirectory, recursive: true);
        }

        if (Directory.Exists(InitDbDirectory))
        {
            Directory.Delete(InitDbDirectory, recursive: true);
        }

        EmbeddedPostgresLog.InitializingCluster(_logger, ClusterDirectory, _binaries.Directory);
        var stopwatch = Stopwatch.StartNew();
        var result = await _osUser.RunAsync(
            _binaries.InitDb,
            ["-D", InitDbDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
            _dataDirectory, InitDbTimeout, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new EmbeddedPostgresException($"initdb failed with exit code {result.ExitCode}: {result.Output}");
        }

        Directory.Move(InitDbDirectory, ClusterDirectory);
        EmbeddedPostgresLog.ClusterInitialized(_logger, stopwatch.ElapsedMilliseconds);
    }

    /// <summary>
    /// Clears the way for a new server: stops a server still running on this cluster (its host died without
    /// stopping it, and it may listen on another port) and deletes a <c>postmaster.pid</c> whose process is gone.
    /// </summary>
    public async Task StopLeftoverServerAsync(CancellationToken ct)
    {
        if (!File.Exists(PidFile))
        {
            return;
        }

        var pid = ReadPostmasterPid();
        if (pid is { } running && IsPostmasterOfThisCluster(running))
        {
            EmbeddedPostgresLog.StoppingLeftoverServer(_logger, running, ClusterDirectory);
            if (!await StopAsync(ct).ConfigureAwait(false))
            {
                throw new EmbeddedPostgresException(
                    $"A PostgreSQL server (pid {running}) left running on '{ClusterDirectory}' could not be stopped.{Environment.NewLine}{ReadLogTail()}");
            }

            return;
        }

        // PostgreSQL would itself ignore a dead pid, but not a pid the OS has since given to another process.
        // The data is still protected after the file is gone: a server refuses to start while any process of an
        // older server is attached to the cluster's shared memory.
        EmbeddedPostgresLog.RemovingStalePidFile(_logger, pid);
        File.Delete(PidFile);
    }

    /// <summary>One start attempt; false (with the server log's tail in <paramref name="failure"/>) if it did not come up.</summary>
    public async Task<(bool Started, string Failure)> TryStartAsync(int port, int maxConnections, TimeSpan timeout, CancellationToken ct)
    {
        // fsync and synchronous_commit are spelled out because an append is acknowledged only after its commit
        // is durable; pg_ctl hands -o to /bin/sh, hence the quoted empty socket directory list (no unix socket).
        var settings = string.Join(' ',
            "-c listen_addresses=127.0.0.1",
            $"-c port={port.ToString(CultureInfo.InvariantCulture)}",
            "-c unix_socket_directories=''",
            $"-c max_connections={maxConnections.ToString(CultureInfo.InvariantCulture)}",
            "-c fsync=on",
            "-c synchronous_commit=on");
        var seconds = Math.Max(1, (int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var result = await _osUser.RunAsync(
            _binaries.PgCtl,
            ["start", "-D", ClusterDirectory, "-l", LogFile, "-w", "-t", seconds, "-o", settings],
            _dataDirectory, timeout + TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        return result.Succeeded ? (true, "") : (false, $"{result.Output}{Environment.NewLine}{ReadLogTail()}");
    }

    /// <summary>Stops the server (fast shutdown, immediate if that fails); true when none is running afterwards.</summary>
    public async Task<bool> StopAsync(CancellationToken ct)
    {
        foreach (var mode in new[] { "fast", "immediate" })
        {
            var seconds = ((int)StopTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var result = await _osUser.RunAsync(
                _binaries.PgCtl, ["stop", "-D", ClusterDirectory, "-m", mode, "-w", "-t", seconds],
                _dataDirectory, StopTimeout + TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
            if (result.Succeeded || !File.Exists(PidFile))
            {
                return true;
            }

            EmbeddedPostgresLog.StopFailed(_logger, mode, result.Output);
        }

        return false;
    }

    /// <summary>The postmaster's pid from the first line of <c>postmaster.pid</c>, or null if there is none.</summary>
    public int? ReadPostmasterPid()
    {
        try
        {
            using var reader = new StreamReader(PidFile);
            return int.TryParse(reader.ReadLine(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private bool IsPostmasterOfThisCluster(int pid)
    {
        try
        {
            if (!Directory.Exists("/proc"))
            {
                using var process = Process.GetProcessById(pid);
                return process.ProcessName == "postgres";
            }

            // A postmaster works in its cluster folder, so its cwd holds this very pid file (compared by content:
            // paths may differ by symlinks). A recycled pid belonging to anything else fails this test.
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cwd/postmaster.pid") == File.ReadAllText(PidFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The last lines of the server log (only its end is read: the log grows for the cluster's lifetime).</summary>
    public string ReadLogTail(int lines = 20)
    {
        try
        {
            using var log = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            log.Seek(Math.Max(0, log.Length - 8192), SeekOrigin.Begin);
            using var reader = new StreamReader(log);
            var tail = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(Environment.NewLine, tail.Skip(Math.Max(0, tail.Length - lines)));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }
}
