using Npgsql;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>Plain SQL against a test database, for looking behind the providers' backs (and going behind them).</summary>
internal static class Db
{
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params object?[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, args);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql, params object?[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, args);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<T>> ListAsync<T>(string connectionString, string sql, Func<NpgsqlDataReader, T> read, params object?[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, args);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>The silo rows of a cluster: (port, generation) → status.</summary>
    public static async Task<Dictionary<(int Port, int Generation), int>> SilosAsync(string connectionString, string clusterId) =>
        (await ListAsync(
            connectionString,
            "select port, generation, status from orleans_membership where deployment_id = $1",
            r => (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2)),
            clusterId))
        .ToDictionary(row => (row.Item1, row.Item2), row => row.Item3);

    public static Task<int> VersionAsync(string connectionString, string clusterId) =>
        ScalarAsync<int>(connectionString, "select version from orleans_membership_version where deployment_id = $1", clusterId);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg ?? DBNull.Value });
        }

        return command;
    }
}
