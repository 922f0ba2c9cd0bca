using Npgsql;

namespace Sessions.Gateway.Tests;

/// <summary>Reads the gateway's tables directly, bypassing the gateway, to check what a request did or did not write.</summary>
public sealed class TestDatabase(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public string ConnectionString { get; } = connectionString;

    /// <summary>How many rows each table holds now; equal snapshots before and after a request mean it wrote nothing.</summary>
    public async Task<RowCounts> CountRowsAsync() => new(
        await ScalarAsync<long>("select count(*) from participants"),
        await ScalarAsync<long>("select count(*) from chat_sessions"),
        await ScalarAsync<long>("select count(*) from chat_messages"));

    /// <summary>The seqs stored for a session, in order.</summary>
    public async Task<IReadOnlyList<long>> SeqsAsync(string sessionId)
    {
        await using var command = _dataSource.CreateCommand("select seq from chat_messages where session_id = $1 order by seq");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
        await using var reader = await command.ExecuteReaderAsync();
        var seqs = new List<long>();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    public async Task<long> MessageCountAsync(string sessionId)
    {
        await using var command = _dataSource.CreateCommand("select count(*) from chat_messages where session_id = $1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every silo generation in the Orleans membership table, oldest first, with its status (3 Active, 6 Dead).</summary>
    public async Task<IReadOnlyList<(int Generation, int Status)>> SiloStatusesAsync()
    {
        await using var command = _dataSource.CreateCommand("select generation, status from orleans_membership order by generation");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    /// <summary>The participant's read cursor in the session, or null when none was ever written.</summary>
    public async Task<long?> ReadCursorAsync(string sessionId, string participantId)
    {
        await using var command = _dataSource.CreateCommand("select last_read_seq from read_cursors where session_id = $1 and participant_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sessionId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = participantId });
        return (long?)await command.ExecuteScalarAsync();
    }

    /// <summary>How many webhook registrations are stored.</summary>
    public Task<long> CountAgentsAsync() => ScalarAsync<long>("select count(*) from agents");

    public async Task ExecuteAsync(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row of <paramref name="sql"/>, for looking at tables no helper here covers.</summary>
    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _dataSource.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
