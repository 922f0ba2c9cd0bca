using Npgsql;

namespace Sessions.Grains.Tests;

/// <summary>Direct looks at the database, to check what was (not) written.</summary>
internal static class Db
{
    public static async Task<List<long>> SeqsAsync(string connectionString, string sessionId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select seq from chat_messages where session_id = $1 order by seq", connection);
        command.Parameters.Add(new() { Value = sessionId });
        var seqs = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    public static async Task<long> CountAsync(string connectionString, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new() { Value = arg });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<string?> ScalarTextAsync(string connectionString, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new() { Value = arg });
        }

        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>Runs a statement behind the grains' backs; returns the rows it affected.</summary>
    public static async Task<int> ExecuteAsync(string connectionString, string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new() { Value = arg });
        }

        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Extends a session's log as another writer would (bumping last_seq and inserting the next row), without the grain.</summary>
    public static async Task AppendBehindTheGrainsBackAsync(string connectionString, string sessionId, string senderId, string text)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            with head as (update chat_sessions set last_seq = last_seq + 1 where id = $1 returning last_seq)
            insert into chat_messages (id, session_id, seq, sender_id, kind, content)
            select gen_random_uuid(), $1, head.last_seq, $2, 'text', jsonb_build_object('text', $3::text) from head
            """, connection);
        command.Parameters.Add(new() { Value = sessionId });
        command.Parameters.Add(new() { Value = senderId });
        command.Parameters.Add(new() { Value = text });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
