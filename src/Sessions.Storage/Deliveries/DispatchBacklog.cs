using Npgsql;

namespace Sessions.Storage.Deliveries;

/// <summary>
/// Finds sessions whose agent has messages waiting that no delivery carries: what a dispatcher would have sent had its
/// stream notice not been lost with a dying silo. A message counts once it is older than a grace period, so the sweep
/// does not race the live path. Only enabled agents are considered.
/// </summary>
public sealed class DispatchBacklog(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        select s.id
        from chat_sessions s
        join agents a on a.participant_id = s.agent_id and a.status = 'enabled'
        where s.agent_id is not null
          and exists (
            select 1 from chat_messages m
            where m.session_id = s.id
              and m.sender_id <> s.agent_id
              and m.created_at < now() - @grace
              and m.seq > coalesce((
                select max(d.last_seq) from webhook_deliveries d
                where d.session_id = s.id and d.agent_id = s.agent_id), 0))
        order by s.id
        limit @limit
        """;

    /// <summary>Up to <paramref name="limit"/> session ids with messages older than <paramref name="grace"/> in no delivery.</summary>
    public async Task<IReadOnlyList<string>> SessionsBehindAsync(TimeSpan grace, int limit, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.AddWithValue("grace", grace);
        command.Parameters.AddWithValue("limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
