using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sessions.Embedded;
using Sessions.Testing;

namespace Sessions.Embedded.Tests;

/// <summary>
/// A scratch data folder per test, plus every server the test starts; afterwards all of them are stopped
/// (including ones a test abandoned on purpose) and the folder is deleted.
/// </summary>
public abstract class EmbeddedPostgresScratch : IAsyncLifetime
{
    private readonly List<EmbeddedPostgres> _started = [];

    protected string Root { get; } = Path.Combine("/tmp/sessions-storage-tests", Guid.NewGuid().ToString("N")[..12]);

    protected string DataDirectory => Path.Combine(Root, "data");

    protected string ClusterDirectory => Path.Combine(DataDirectory, "pgdata");

    protected RecordingLogger Log { get; } = new();

    protected async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions? options = null)
    {
        var postgres = await EmbeddedPostgres.StartAsync(options ?? new EmbeddedPostgresOptions { DataDirectory = DataDirectory }, Log, CancellationToken.None);
        _started.Add(postgres);
        return postgres;
    }

    protected static async Task<T> QueryAsync<T>(EmbeddedPostgres postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    protected static async Task ExecuteAsync(EmbeddedPostgres postgres, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }

        foreach (var directory in _started.Select(p => p.DataDirectory).Append(DataDirectory).Distinct())
        {
            if (File.Exists(Path.Combine(directory, "pgdata", "postmaster.pid")))
            {
                await EmbeddedPostgres.StopAbandonedServerAsync(directory, NullLogger.Instance, CancellationToken.None);
            }

            if (Directory.Exists(directory) && !directory.StartsWith(Root, StringComparison.Ordinal))
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
