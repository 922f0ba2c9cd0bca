using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Embedded;

namespace Sessions.Host.Database;

/// <summary>
/// The database the gateway runs on: the one named by <c>ConnectionStrings:Sessions</c>, or else a private PostgreSQL
/// server the gateway starts itself (data in <c>SESSIONS_DATA_DIR</c>, default <c>./.sessions-data</c>) and stops
/// when it is disposed, after the web application has stopped.
/// </summary>
internal sealed class HostDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Sessions";
    public const string DataDirectoryVariable = "SESSIONS_DATA_DIR";

    /// <summary>Options of the embedded server (for example <c>Sessions:Embedded:BinariesDirectory</c>).</summary>
    public const string EmbeddedSectionName = "Sessions:Embedded";

    private HostDatabase(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        Embedded = embedded;
    }

    public string ConnectionString { get; }

    /// <summary>The private server, or null when the connection string came from configuration.</summary>
    public EmbeddedPostgres? Embedded { get; }

    public static async Task<HostDatabase> OpenAsync(IConfiguration configuration, ILogger logger, CancellationToken ct)
    {
        if (configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } configured)
        {
            LogTarget(logger, "configured", configured);
            return new HostDatabase(configured, null);
        }

        var options = new EmbeddedPostgresOptions();
        configuration.GetSection(EmbeddedSectionName).Bind(options);
        if (configuration[DataDirectoryVariable] is { Length: > 0 } dataDirectory)
        {
            options.DataDirectory = dataDirectory;
        }

        var embedded = await EmbeddedPostgres.StartAsync(options, logger, ct).ConfigureAwait(false);
        HostLog.EmbeddedDataDirectory(logger, embedded.DataDirectory);
        LogTarget(logger, "embedded", embedded.ConnectionString);
        return new HostDatabase(embedded.ConnectionString, embedded);
    }

    // Host, port and database only: a connection string may carry a password.
    private static void LogTarget(ILogger logger, string mode, string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        HostLog.DatabaseTarget(logger, mode, target.Host, target.Port, target.Database);
    }

    public async ValueTask DisposeAsync()
    {
        if (Embedded is not null)
        {
            await Embedded.DisposeAsync().ConfigureAwait(false);
        }
    }
}
