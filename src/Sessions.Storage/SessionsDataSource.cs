using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sessions.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> a process uses for the sessions database.</summary>
public static class SessionsDataSource
{
    /// <summary>How many statements each connection keeps prepared unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    public static NpgsqlDataSource Create(string connectionString, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // The stores run a handful of fixed statements over and over (the append above all); auto-preparing
        // them saves the parse/plan on every call without tying the stores to one connection.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (loggerFactory is not null)
        {
            builder.UseLoggerFactory(loggerFactory);
        }

        return builder.Build();
    }
}
