using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Sessions.Storage.Migrations;

/// <summary>
/// Brings a database's schema up to date at start-up. Every silo runs it; they serialize on a transaction-level
/// advisory lock, so the first one applies what is missing and the others find nothing to do. All pending
/// migrations and their <c>schema_migrations</c> rows commit in one transaction: a failure leaves no half-applied
/// schema. (So a migration must not use statements that refuse transactions, such as CREATE INDEX CONCURRENTLY.)
/// </summary>
public static class MigrationRunner
{
    /// <summary>The advisory lock key ("SESSIONS" in ASCII); advisory locks are per database, so databases never contend.</summary>
    public const long AdvisoryLockKey = 0x53455353494F4E53;

    /// <summary>Applies the shipped migrations that the database lacks; returns the versions applied by this call.</summary>
    public static Task<IReadOnlyList<int>> ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken ct) =>
        ApplyAsync(dataSource, MigrationCatalog.All, logger, ct);

    /// <summary>Applies those of <paramref name="migrations"/> that the database lacks, in version order.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, ILogger logger, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        var stopwatch = Stopwatch.StartNew();

        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, $"select pg_advisory_xact_lock({AdvisoryLockKey})", ct).ConfigureAwait(false);
        await ExecuteAsync(connection, """
            create table if not exists schema_migrations (
                version int primary key,
                name text not null,
                applied_at timestamptz not null default now())
            """, ct).ConfigureAwait(false);

        var present = await ReadAppliedVersionsAsync(connection, ct).ConfigureAwait(false);
        var applied = new List<int>();
        foreach (var migration in migrations.OrderBy(m => m.Version).Where(m => !present.Contains(m.Version)))
        {
            MigrationLog.Applying(logger, migration.Version, migration.Name);
            await ExecuteAsync(connection, migration.Sql, ct).ConfigureAwait(false);
            await RecordAsync(connection, migration, ct).ConfigureAwait(false);
            applied.Add(migration.Version);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        if (applied.Count > 0)
        {
            MigrationLog.Applied(logger, applied.Count, applied[^1], stopwatch.ElapsedMilliseconds);
        }
        else
        {
            MigrationLog.UpToDate(logger, present.Count == 0 ? 0 : present.Max());
        }

        return applied;
    }

    private static async Task<HashSet<int>> ReadAppliedVersionsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select version from schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var versions = new HashSet<int>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task RecordAsync(NpgsqlConnection connection, Migration migration, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("insert into schema_migrations (version, name) values ($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
