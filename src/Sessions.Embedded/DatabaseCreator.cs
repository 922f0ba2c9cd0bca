using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sessions.Embedded;

/// <summary>Creates a database unless it exists; safe when several processes try at once.</summary>
internal static class DatabaseCreator
{
    public static async Task EnsureExistsAsync(string serverConnectionString, string database, ILogger logger, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);

        await using (var exists = new NpgsqlCommand("select exists (select 1 from pg_database where datname = $1)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = database });
            if ((bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                return;
            }
        }

        try
        {
            // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
            await using var create = new NpgsqlCommand($"create database \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            EmbeddedPostgresLog.DatabaseCreated(logger, database);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Someone else created it between the check and the create (a race on pg_database can also surface as a
            // unique violation): either way the database exists, which is all we wanted.
        }
    }
}
