using Npgsql;

namespace Sessions.Cluster.Tests;

/// <summary>
/// Compares what the clients were told with what PostgreSQL holds: every session's log must be seq 1..last_seq
/// without gaps or duplicates, and every acknowledged append must be there, at the seq it was acknowledged with.
/// </summary>
public static class MessageLogAudit
{
    public sealed record Result(int Messages, int Acks, IReadOnlyList<string> Problems)
    {
        public override string ToString() =>
            $"{Messages} messages in the database, {Acks} acknowledgements; {Problems.Count} problems"
            + (Problems.Count == 0 ? "" : ":\n  " + string.Join("\n  ", Problems.Take(40)));
    }

    public static async Task<Result> CheckAsync(string connectionString, IEnumerable<TestSession> sessions, IEnumerable<Ack> acks)
    {
        var ids = sessions.Select(s => s.Id).ToArray();
        var rows = new Dictionary<string, List<(long Seq, string? ClientMessageId)>>();
        var lastSeq = new Dictionary<string, long>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand("select session_id, seq, client_message_id from chat_messages where session_id = any($1) order by session_id, seq", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = ids });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var id = reader.GetString(0);
                    if (!rows.TryGetValue(id, out var list))
                    {
                        rows[id] = list = [];
                    }

                    list.Add((reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
                }
            }

            await using (var command = new NpgsqlCommand("select id, last_seq from chat_sessions where id = any($1)", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = ids });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    lastSeq[reader.GetString(0)] = reader.GetInt64(1);
                }
            }
        }

        var problems = new List<string>();
        foreach (var id in ids)
        {
            var log = rows.GetValueOrDefault(id) ?? [];
            var seqs = log.Select(r => r.Seq).ToList();
            if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(i => (long)i)))
            {
                problems.Add($"session {id}: seqs are not 1..{seqs.Count}: {Describe(seqs)}");
            }

            if (lastSeq.GetValueOrDefault(id, -1) != seqs.Count)
            {
                problems.Add($"session {id}: last_seq is {lastSeq.GetValueOrDefault(id, -1)} but the log holds {seqs.Count} messages");
            }

            foreach (var duplicate in log.Where(r => r.ClientMessageId is not null).GroupBy(r => r.ClientMessageId).Where(g => g.Count() > 1))
            {
                problems.Add($"session {id}: client_message_id {duplicate.Key} stored {duplicate.Count()} times, at seqs {string.Join(", ", duplicate.Select(r => r.Seq))}");
            }
        }

        var ackList = acks.ToList();
        foreach (var ack in ackList)
        {
            var stored = rows.GetValueOrDefault(ack.SessionId)?.FirstOrDefault(r => r.Seq == ack.Seq);
            if (stored is null || stored.Value.Seq == 0)
            {
                problems.Add($"LOST: {ack.ClientMessageId} was acknowledged by {ack.Via} as seq {ack.Seq} of session {ack.SessionId}, which the database does not have");
            }
            else if (stored.Value.ClientMessageId != ack.ClientMessageId)
            {
                problems.Add($"LOST: {ack.ClientMessageId} was acknowledged by {ack.Via} as seq {ack.Seq} of session {ack.SessionId}, but that seq holds {stored.Value.ClientMessageId}");
            }
        }

        foreach (var split in ackList.GroupBy(a => (a.SessionId, a.ClientMessageId)).Where(g => g.Select(a => a.Seq).Distinct().Count() > 1))
        {
            problems.Add($"{split.Key.ClientMessageId} was acknowledged with different seqs: {string.Join(", ", split.Select(a => $"{a.Seq} by {a.Via}"))}");
        }

        return new Result(rows.Values.Sum(l => l.Count), ackList.Count, problems);
    }

    private static string Describe(List<long> seqs)
    {
        var gaps = new List<string>();
        for (var i = 0; i < seqs.Count; i++)
        {
            var expected = i + 1;
            if (seqs[i] != expected)
            {
                gaps.Add($"position {expected} holds {seqs[i]}");
                if (gaps.Count >= 5)
                {
                    break;
                }
            }
        }

        return string.Join("; ", gaps);
    }
}
