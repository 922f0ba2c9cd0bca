using Microsoft.Extensions.Logging;

namespace Sessions.Storage.Migrations;

internal static partial class MigrationLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Applying migration {Version} ({Name})")]
    public static partial void Applying(ILogger logger, int version, string name);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Applied {Count} migration(s); schema is at version {Version} after {ElapsedMs} ms")]
    public static partial void Applied(ILogger logger, int count, int version, long elapsedMs);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Schema is up to date at version {Version}")]
    public static partial void UpToDate(ILogger logger, int version);
}
