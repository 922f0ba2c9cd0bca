using Npgsql;

namespace Sessions.Storage.Deliveries;

/// <summary>
/// Reads deliveries together with their attempts in one statement (so one snapshot: a delivery's attempt count always
/// matches the attempts read with it). A page of deliveries is joined to its attempts, one result row per attempt
/// (or one with null attempt columns when there is none), ordered so each delivery's rows are adjacent.
/// </summary>
internal static class DeliveryRows
{
    public const string Columns =
        "id, agent_id, session_id, first_seq, last_seq, status, attempts, next_attempt_at, last_error, created_at, updated_at, completed_at";

    private const int FirstAttemptColumn = 12;

    /// <summary>
    /// Wraps <paramref name="deliveriesSql"/> (a select of <see cref="Columns"/>, with its own order and limit) so that
    /// its rows come with their attempts, in <paramref name="order"/> (over the columns, which must keep each delivery's
    /// rows adjacent) and then by attempt number.
    /// </summary>
    public static string WithAttempts(string deliveriesSql, string order) => $"""
        with d as ({deliveriesSql})
        select d.*, a.attempt, a.trigger, a.started_at, a.finished_at, a.latency_ms, a.http_status, a.error, a.response_excerpt
        from d left join webhook_attempts a on a.delivery_id = d.id
        order by {order}, a.attempt
        """;

    public static async Task<List<DeliveryRow>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var deliveries = new List<DeliveryRow>();
        List<DeliveryAttemptRow>? attempts = null;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var id = reader.GetGuid(0);
            if (deliveries.Count == 0 || deliveries[^1].Id != id)
            {
                attempts = [];
                deliveries.Add(ReadDelivery(reader, attempts));
            }

            if (!reader.IsDBNull(FirstAttemptColumn))
            {
                attempts!.Add(ReadAttempt(reader));
            }
        }

        return deliveries;
    }

    private static DeliveryRow ReadDelivery(NpgsqlDataReader reader, IReadOnlyList<DeliveryAttemptRow> attempts) => new(
        Id: reader.GetGuid(0),
        AgentId: reader.GetString(1),
        SessionId: reader.GetString(2),
        FirstSeq: reader.GetInt64(3),
        LastSeq: reader.GetInt64(4),
        Status: DeliveryColumns.ParseStatus(reader.GetString(5)),
        AttemptCount: reader.GetInt32(6),
        NextAttemptAt: reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        LastError: reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(9),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(10),
        CompletedAt: reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
        Attempts: attempts);

    private static DeliveryAttemptRow ReadAttempt(NpgsqlDataReader reader)
    {
        const int at = FirstAttemptColumn;
        return new DeliveryAttemptRow(
            Attempt: reader.GetInt32(at),
            Trigger: DeliveryColumns.ParseTrigger(reader.GetString(at + 1)),
            StartedAt: reader.GetFieldValue<DateTimeOffset>(at + 2),
            FinishedAt: reader.GetFieldValue<DateTimeOffset>(at + 3),
            LatencyMs: reader.GetInt32(at + 4),
            HttpStatus: reader.IsDBNull(at + 5) ? null : reader.GetInt32(at + 5),
            Error: reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6),
            ResponseExcerpt: reader.IsDBNull(at + 7) ? null : reader.GetString(at + 7));
    }
}
