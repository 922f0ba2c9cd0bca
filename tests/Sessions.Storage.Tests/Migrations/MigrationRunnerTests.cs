using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sessions.Storage.Migrations;
using Sessions.Testing;

namespace Sessions.Storage.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    [Fact]
    public async Task Applies_every_shipped_migration_to_an_empty_database()
    {
        await using var dataSource = SessionsDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync("migrate"));

        var applied = await MigrationRunner.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(MigrationCatalog.All.Select(m => m.Version), applied);
        Assert.Equal(MigrationCatalog.All.Select(m => (m.Version, m.Name)), await ReadRecordedAsync(dataSource));
        foreach (var table in new[] { "participants", "chat_sessions", "chat_messages", "read_cursors" })
        {
            Assert.True(await TableExistsAsync(dataSource, table), table);
        }
    }

    [Fact]
    public async Task Applying_again_changes_nothing()
    {
        await using var dataSource = SessionsDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync("migrate"));
        await MigrationRunner.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);

        var second = await MigrationRunner.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(MigrationCatalog.All.Count, (await ReadRecordedAsync(dataSource)).Count);
    }

    [Fact]
    public async Task Eight_silos_starting_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await TestPostgres.CreateEmptyDatabaseAsync("migrate");
        var dataSources = Enumerable.Range(0, 8).Select(_ => SessionsDataSource.Create(connectionString)).ToList();
        try
        {
            using var go = new ManualResetEventSlim();
            var runners = dataSources
                .Select(dataSource => Task.Run(async () =>
                {
                    go.Wait();
                    return await MigrationRunner.ApplyAsync(dataSource, NullLogger.Instance, CancellationToken.None);
                }))
                .ToList();
            go.Set();
            var results = await Task.WhenAll(runners);

            Assert.Equal(MigrationCatalog.All.Select(m => m.Version), results.SelectMany(applied => applied).Order());
            Assert.Single(results, applied => applied.Count > 0);
            Assert.Equal(MigrationCatalog.All.Count, (await ReadRecordedAsync(dataSources[0])).Count);
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_the_whole_batch()
    {
        await using var dataSource = SessionsDataSource.Create(await TestPostgres.CreateEmptyDatabaseAsync("migrate"));
        Migration[] migrations = [.. MigrationCatalog.All, new Migration(9999, "broken", "create table half_done (id int); select 1 / 0;")];

        await Assert.ThrowsAsync<PostgresException>(() => MigrationRunner.ApplyAsync(dataSource, migrations, NullLogger.Instance, CancellationToken.None));

        Assert.False(await TableExistsAsync(dataSource, "schema_migrations"));
        Assert.False(await TableExistsAsync(dataSource, "participants"));
        Assert.False(await TableExistsAsync(dataSource, "half_done"));
    }

    [Fact]
    public void The_catalog_numbers_migrations_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, MigrationCatalog.All.Count), MigrationCatalog.All.Select(m => m.Version));
        Assert.Equal("initial", MigrationCatalog.All[0].Name);
    }

    private static async Task<List<(int, string)>> ReadRecordedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("select version, name from schema_migrations order by version");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<bool> TableExistsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var command = dataSource.CreateCommand("select to_regclass($1) is not null");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table });
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
