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
}
