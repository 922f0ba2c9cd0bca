using Microsoft.Extensions.Logging;

namespace Sessions.Embedded;

internal static partial class EmbeddedPostgresLog
{
    [LoggerMessage(EventId = EmbeddedPostgresEventIds.DataDirectoryFallback, Level = LogLevel.Warning,
        Message = "The 'postgres' OS user cannot use the data directory {Requested} (a parent folder is not traversable); the cluster lives in {Fallback} instead")]
    public static partial void DataDirectoryFallback(ILogger logger, string requested, string fallback);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.InitializingCluster, Level = LogLevel.Information, Message = "Initializing a PostgreSQL cluster in {ClusterDirectory} with the binaries in {BinariesDirectory}")]
    public static partial void InitializingCluster(ILogger logger, string clusterDirectory, string binariesDirectory);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.ClusterInitialized, Level = LogLevel.Information, Message = "initdb finished in {ElapsedMs} ms")]
    public static partial void ClusterInitialized(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.WipingIncompleteCluster, Level = LogLevel.Warning, Message = "{ClusterDirectory} holds no complete cluster (interrupted initdb?); wiping it and initializing again")]
    public static partial void WipingIncompleteCluster(ILogger logger, string clusterDirectory);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.StoppingLeftoverServer, Level = LogLevel.Warning, Message = "A PostgreSQL server (pid {Pid}) left running on {ClusterDirectory} by an earlier host is being stopped")]
    public static partial void StoppingLeftoverServer(ILogger logger, int pid, string clusterDirectory);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.RemovingStalePidFile, Level = LogLevel.Warning, Message = "Removing a stale postmaster.pid (pid {Pid} is not a running server of this cluster)")]
    public static partial void RemovingStalePidFile(ILogger logger, int? pid);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.StartAttemptFailed, Level = LogLevel.Warning, Message = "PostgreSQL start attempt {Attempt} on port {Port} failed; retrying. {Failure}")]
    public static partial void StartAttemptFailed(ILogger logger, int attempt, int port, string failure);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.Started, Level = LogLevel.Information, Message = "PostgreSQL (pid {Pid}) is ready on 127.0.0.1:{Port} after {ElapsedMs} ms; data in {DataDirectory}")]
    public static partial void Started(ILogger logger, int pid, int port, long elapsedMs, string dataDirectory);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.DatabaseCreated, Level = LogLevel.Information, Message = "Created database {Database}")]
    public static partial void DatabaseCreated(ILogger logger, string database);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.StopFailed, Level = LogLevel.Warning, Message = "pg_ctl stop -m {Mode} failed: {Output}")]
    public static partial void StopFailed(ILogger logger, string mode, string output);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.Stopped, Level = LogLevel.Information, Message = "PostgreSQL (pid {Pid}) stopped")]
    public static partial void Stopped(ILogger logger, int pid);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.ServerNoLongerOurs, Level = LogLevel.Warning, Message = "Not stopping PostgreSQL: the server started as pid {Pid} is no longer the one running on {ClusterDirectory}")]
    public static partial void ServerNoLongerOurs(ILogger logger, int pid, string clusterDirectory);

    [LoggerMessage(EventId = EmbeddedPostgresEventIds.StopGaveUp, Level = LogLevel.Error, Message = "PostgreSQL (pid {Pid}) could not be stopped; the next start will stop it")]
    public static partial void StopGaveUp(ILogger logger, int pid, Exception? exception);
}
