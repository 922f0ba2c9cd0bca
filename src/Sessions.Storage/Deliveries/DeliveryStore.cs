using Npgsql;
using Sessions.Storage.Internal;
using Sessions.Storage.Paging;

namespace Sessions.Storage.Deliveries;

/// <summary>
/// The delivery log (<c>webhook_deliveries</c>, <c>webhook_attempts</c>). Every write is safe to repeat, because the
/// dispatcher that makes them can die between its write and its own state: creating a delivery is idempotent on its
/// id, recording an attempt on (delivery, attempt number). The dispatcher decides outcomes and schedules; the store
/// keeps each attempt and its delivery's new state together.
/// </summary>
public sealed class DeliveryStore(NpgsqlDataSource dataSource)
{
    /// <summary>The longest response excerpt kept per attempt, in UTF-8 bytes (the schema checks it too).</summary>
    public const int MaxResponseExcerptBytes = 1024;

    /// <summary>The longest error kept per attempt (and as a delivery's last error), in UTF-8 bytes.</summary>
    public const int MaxErrorBytes = 1024;

    private const string Columns = DeliveryRows.Columns;

    // The attempt and the delivery's new state are one statement, hence one transaction: nobody ever sees one
    // without the other. A repeated record (same delivery and attempt number) inserts nothing and so updates nothing;
    // a late record of an older attempt is logged but does not roll the delivery's state back.
    private const string RecordAttemptSql = """
        with recorded as (
            insert into webhook_attempts (delivery_id, attempt, trigger, started_at, finished_at, latency_ms, http_status, error, response_excerpt)
            select $1, $2, $3, $4, $5, $6, $7, $8, $9
            where exists (select 1 from webhook_deliveries where id = $1)
            on conflict (delivery_id, attempt) do nothing
            returning delivery_id, attempt
        )
        update webhook_deliveries d
        set attempts = r.attempt, status = $10, next_attempt_at = $11, last_error = $12,
            completed_at = case when $10 = 'pending' then null else now() end, updated_at = now()
        from recorded r
        where d.id = r.delivery_id and d.attempts < r.attempt
        """;

    /// <summary>
    /// Stores a pending delivery with no attempts and returns it; if one with this id exists already (a retry after a
    /// crash), returns that one, attempts included.
    /// </summary>
    /// <exception cref="InvalidOperationException">The id is taken by a delivery of another agent, session or seq range.</exception>
    /// <exception cref="PostgresException">The agent or session does not exist, or the seq range is empty or below 1.</exception>
    public async Task<DeliveryRow> CreateAsync(NewDelivery delivery, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        await using var insert = dataSource.CreateCommand(DeliveryRows.WithAttempts($"""
            insert into webhook_deliveries (id, agent_id, session_id, first_seq, last_seq, status, next_attempt_at)
            values ($1, $2, $3, $4, $5, 'pending', coalesce($6, now()))
            on conflict (id) do nothing
            returning {Columns}
            """, "d.id"));
        insert.Parameters.Add(Param.Uuid(delivery.Id));
        insert.Parameters.Add(Param.Text(delivery.AgentId));
        insert.Parameters.Add(Param.Text(delivery.SessionId));
        insert.Parameters.Add(Param.Bigint(delivery.FirstSeq));
        insert.Parameters.Add(Param.Bigint(delivery.LastSeq));
        insert.Parameters.Add(Param.TimestampTz(delivery.NextAttemptAt));
        var created = await DeliveryRows.ReadAsync(insert, ct).ConfigureAwait(false);
        if (created.Count == 1)
        {
            return created[0];
        }

        // Deliveries are never deleted on their own (only with their session), so the row that won is still there.
        var existing = await GetAsync(delivery.Id, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Delivery {delivery.Id} was taken and is gone.");
        return (existing.AgentId, existing.SessionId, existing.FirstSeq, existing.LastSeq)
            == (delivery.AgentId, delivery.SessionId, delivery.FirstSeq, delivery.LastSeq)
            ? existing
            : throw new InvalidOperationException($"Delivery {delivery.Id} exists with another agent, session or seq range.");
    }

    /// <summary>
    /// Logs a finished attempt and applies its <paramref name="outcome"/> to the delivery, atomically; returns the
    /// delivery as it now stands, or null if it does not exist. Recording the same attempt number again changes nothing
    /// (the first record wins), so a dispatcher that is unsure whether its record was stored may simply send it again.
    /// </summary>
    public async Task<DeliveryRow?> RecordAttemptAsync(DeliveryAttemptRecord attempt, DeliveryOutcome outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(outcome);
        var error = LogExcerpt.Fit(attempt.Error, MaxErrorBytes);
        var lastError = outcome.Status == DeliveryStatus.Succeeded
            ? null
            : error ?? (attempt.HttpStatus is { } status ? $"HTTP {status}" : null);

        await using var command = dataSource.CreateCommand(RecordAttemptSql);
        command.Parameters.Add(Param.Uuid(attempt.DeliveryId));
        command.Parameters.Add(Param.Integer(attempt.Attempt));
        command.Parameters.Add(Param.Text(DeliveryColumns.ToText(attempt.Trigger)));
        command.Parameters.Add(Param.TimestampTz(attempt.StartedAt));
        command.Parameters.Add(Param.TimestampTz(attempt.FinishedAt));
        command.Parameters.Add(Param.Integer(attempt.LatencyMs));
        command.Parameters.Add(Param.NullableInteger(attempt.HttpStatus));
        command.Parameters.Add(Param.Text(error));
        command.Parameters.Add(Param.Text(LogExcerpt.Fit(attempt.ResponseExcerpt, MaxResponseExcerptBytes)));
        command.Parameters.Add(Param.Text(DeliveryColumns.ToText(outcome.Status)));
        command.Parameters.Add(Param.TimestampTz(outcome.NextAttemptAt));
        command.Parameters.Add(Param.Text(lastError));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return await GetAsync(attempt.DeliveryId, ct).ConfigureAwait(false);
    }

    /// <summary>The delivery with its attempts, or null.</summary>
    public async Task<DeliveryRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            DeliveryRows.WithAttempts($"select {Columns} from webhook_deliveries where id = $1", "d.id"));
        command.Parameters.Add(Param.Uuid(id));
        var found = await DeliveryRows.ReadAsync(command, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A page of deliveries, newest first by (created_at, id), each with its attempts.</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by a delivery listing.</exception>
    public async Task<DeliveryRowPage> ListAsync(DeliveryLogQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        if (query.AgentId is null && query.SessionId is null)
        {
            throw new ArgumentException("A delivery listing needs an agent, a session or both.", nameof(query));
        }

        (DateTimeOffset At, Guid Id)? after = query.Cursor is null ? null : KeysetCursor.ToTimeAndUuid(query.Cursor);

        // Only the filters asked for are in the statement, so each shape of query is planned on its own index
        // (an "or $n is null" filter would leave a generic plan unable to pick one).
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        string Bind(NpgsqlParameter parameter)
        {
            command.Parameters.Add(parameter);
            return $"${command.Parameters.Count}";
        }

        if (query.AgentId is { } agentId)
        {
            conditions.Add($"agent_id = {Bind(Param.Text(agentId))}");
        }

        if (query.SessionId is { } sessionId)
        {
            conditions.Add($"session_id = {Bind(Param.Text(sessionId))}");
        }

        if (query.Status is { } status)
        {
            conditions.Add($"status = {Bind(Param.Text(DeliveryColumns.ToText(status)))}");
        }

        if (after is { } position)
        {
            conditions.Add($"(created_at, id) < ({Bind(Param.TimestampTz(position.At))}, {Bind(Param.Uuid(position.Id))})");
        }

        // One row more than asked tells whether another page follows.
        command.CommandText = DeliveryRows.WithAttempts($"""
            select {Columns} from webhook_deliveries
            where {string.Join(" and ", conditions)}
            order by created_at desc, id desc
            limit {Bind(Param.Bigint(query.Limit + 1L))}
            """, "d.created_at desc, d.id desc");
        var deliveries = await DeliveryRows.ReadAsync(command, ct).ConfigureAwait(false);
        if (deliveries.Count <= query.Limit)
        {
            return new DeliveryRowPage(deliveries, null);
        }

        deliveries.RemoveAt(query.Limit);
        var last = deliveries[^1];
        return new DeliveryRowPage(deliveries, KeysetCursor.FromTimeAndUuid(last.CreatedAt, last.Id));
    }

    /// <summary>
    /// The agent's failed deliveries created at or after <paramref name="since"/>, oldest first (so requeuing them in
    /// this order keeps each session's seq order), at most <paramref name="limit"/>. A recovery lists and requeues
    /// until this comes back empty: requeued deliveries are pending and drop out of the next call.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryRow>> ListFailedSinceAsync(string agentId, DateTimeOffset since, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(DeliveryRows.WithAttempts($"""
            select {Columns} from webhook_deliveries
            where agent_id = $1 and status = 'failed' and created_at >= $2
            order by created_at, id
            limit $3
            """, "d.created_at, d.id"));
        command.Parameters.Add(Param.Text(agentId));
        command.Parameters.Add(Param.TimestampTz(since));
        command.Parameters.Add(Param.Bigint(limit));
        return await DeliveryRows.ReadAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Pending deliveries whose next attempt is due by <paramref name="dueBy"/>, most overdue first: what a sweep
    /// hands back to dispatchers that died with their timers.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryRow>> ListDueAsync(DateTimeOffset dueBy, int limit, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var command = dataSource.CreateCommand(DeliveryRows.WithAttempts($"""
            select {Columns} from webhook_deliveries
            where status = 'pending' and next_attempt_at <= $1
            order by next_attempt_at, id
            limit $2
            """, "d.next_attempt_at, d.id"));
        command.Parameters.Add(Param.TimestampTz(dueBy));
        command.Parameters.Add(Param.Bigint(limit));
        return await DeliveryRows.ReadAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes a succeeded or failed delivery pending again, due now (a redelivery; its attempts go on numbering from
    /// where they were), and returns it; a pending one is returned as it is. Null if there is no such delivery.
    /// </summary>
    public async Task<DeliveryRow?> RequeueAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            update webhook_deliveries
            set status = 'pending', next_attempt_at = now(), completed_at = null, updated_at = now()
            where id = $1 and status <> 'pending'
            """);
        command.Parameters.Add(Param.Uuid(id));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        return await GetAsync(id, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The highest seq any delivery of this agent in this session covers, whatever its status; 0 when there is none.
    /// A dispatcher that lost its cursor resumes after it.
    /// </summary>
    public async Task<long> LastDeliveredSeqAsync(string agentId, string sessionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select coalesce(max(last_seq), 0) from webhook_deliveries where agent_id = $1 and session_id = $2");
        command.Parameters.Add(Param.Text(agentId));
        command.Parameters.Add(Param.Text(sessionId));
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }
}
