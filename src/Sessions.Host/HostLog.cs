using Microsoft.Extensions.Logging;

namespace Sessions.Host;

internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sessions database: {Mode} PostgreSQL at {Host}:{Port}, database '{Database}'")]
    public static partial void DatabaseTarget(ILogger logger, string mode, string? host, int port, string? database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL data folder: {DataDirectory}")]
    public static partial void EmbeddedDataDirectory(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Readiness: the database did not answer")]
    public static partial void DatabaseNotReady(ILogger logger, Exception exception);
}
