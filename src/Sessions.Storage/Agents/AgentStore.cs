using Npgsql;
using NpgsqlTypes;
using Sessions.Abstractions;
using Sessions.Storage.Internal;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;

namespace Sessions.Storage.Agents;

/// <summary>
/// The <c>agents</c> table: the webhook registrations of agent participants. Writes are single statements (or one
/// transaction, for a create that also makes the participant), so a failure leaves nothing half-written.
/// </summary>
public sealed class AgentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "participant_id, url, secret, previous_secret, previous_secret_expires_at, timeout_ms, max_attempts, retry_base_delay_ms, "
        + "retry_max_delay_ms, debounce_ms, history_mode, history_count, status, disabled_reason, created_at, updated_at";

    // Each setting travels as (is it set?, value), so one prepared statement serves every combination of members.
    private static readonly string UpdateSql = $"""
        update agents set
            url = case when $2 then $3 else url end,
            timeout_ms = case when $4 then $5 else timeout_ms end,
            max_attempts = case when $6 then $7 else max_attempts end,
            retry_base_delay_ms = case when $8 then $9 else retry_base_delay_ms end,
            retry_max_delay_ms = case when $10 then $11 else retry_max_delay_ms end,
            debounce_ms = case when $12 then $13 else debounce_ms end,
            history_mode = case when $14 then $15 else history_mode end,
            history_count = case when $16 then $17 else history_count end,
            status = case when $18 then $19 else status end,
            disabled_reason = case when $18 then $20 else disabled_reason end,
            updated_at = now()
        where participant_id = $1
        returning {Columns}
        """;

    public async Task<AgentRow?> GetAsync(string participantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from agents where participant_id = $1");
        command.Parameters.Add(Param.Text(participantId));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers the webhook of participant <see cref="NewAgent.ParticipantId"/>, creating that participant (kind agent)
    /// in the same transaction when it does not exist. Nothing is written unless the outcome is <see cref="AgentCreateOutcome.Created"/>.
    /// </summary>
    public async Task<AgentCreateOutcome> CreateAsync(NewAgent agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        // A concurrent create of the same id waits here on the unique index until the first one commits.
        bool participantCreated;
        await using (var insert = new NpgsqlCommand(
            "insert into participants (id, kind) values ($1, 'agent') on conflict (id) do nothing", connection, transaction))
        {
            insert.Parameters.Add(Param.Text(agent.ParticipantId));
            participantCreated = await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }

        if (!participantCreated)
        {
            // "for share" keeps the participant from being deleted before the registration that references it commits.
            await using var kind = new NpgsqlCommand("select kind from participants where id = $1 for share", connection, transaction);
            kind.Parameters.Add(Param.Text(agent.ParticipantId));
            var existing = ParticipantKindColumn.Parse((string)(await kind.ExecuteScalarAsync(ct).ConfigureAwait(false))!);
            if (existing != ParticipantKind.Agent)
            {
                await transaction.RollbackAsync(ct).ConfigureAwait(false);
                return new AgentCreateOutcome.ParticipantNotAgent(existing);
            }
        }

        var settings = agent.Settings;
        await using var register = new NpgsqlCommand($"""
            insert into agents (participant_id, url, secret, timeout_ms, max_attempts, retry_base_delay_ms, retry_max_delay_ms,
                                debounce_ms, history_mode, history_count, status, disabled_reason)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            on conflict (participant_id) do nothing
            returning {Columns}
            """, connection, transaction);
        register.Parameters.Add(Param.Text(agent.ParticipantId));
        register.Parameters.Add(Param.Text(agent.Url));
        register.Parameters.Add(Param.Text(agent.Secret));
        register.Parameters.Add(NullableInteger(settings.TimeoutMs));
        register.Parameters.Add(NullableInteger(settings.MaxAttempts));
        register.Parameters.Add(NullableInteger(settings.RetryBaseDelayMs));
        register.Parameters.Add(NullableInteger(settings.RetryMaxDelayMs));
        register.Parameters.Add(NullableInteger(settings.DebounceMs));
        register.Parameters.Add(Param.Text(AgentColumns.ToText(settings.HistoryMode)));
        register.Parameters.Add(NullableInteger(settings.HistoryCount));
        register.Parameters.Add(Param.Text(AgentColumns.ToText(agent.Status)));
        register.Parameters.Add(Param.Text(agent.Status == AgentStatus.Disabled ? agent.DisabledReason : null));
        var created = await ReadSingleAsync(register, ct).ConfigureAwait(false);
        if (created is null)
        {
            await transaction.RollbackAsync(ct).ConfigureAwait(false);
            return new AgentCreateOutcome.AlreadyRegistered();
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return new AgentCreateOutcome.Created(created, participantCreated);
    }

    /// <summary>A page of registrations by ascending participant id, starting after <paramref name="cursor"/> (null: the first page).</summary>
    /// <exception cref="InvalidCursorException">The cursor was not issued by a listing by id.</exception>
    public async Task<AgentRowPage> ListAsync(int limit, string? cursor, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var afterId = cursor is null ? "" : KeysetCursor.ToId(cursor);

        // One row more than asked tells whether another page follows.
        await using var command = dataSource.CreateCommand($"select {Columns} from agents where participant_id > $1 order by participant_id limit $2");
        command.Parameters.Add(Param.Text(afterId));
        command.Parameters.Add(Param.Bigint(limit + 1L));
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var agents = new List<AgentRow>(Math.Min(limit, 1000) + 1);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            agents.Add(Read(reader));
        }

        if (agents.Count <= limit)
        {
            return new AgentRowPage(agents, null);
        }

        agents.RemoveAt(limit);
        return new AgentRowPage(agents, KeysetCursor.FromId(agents[^1].ParticipantId));
    }

    /// <summary>Applies the members of <paramref name="update"/> that are set; returns the row after, or null if there is no registration.</summary>
    public async Task<AgentRow?> UpdateAsync(string participantId, AgentUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        await using var command = dataSource.CreateCommand(UpdateSql);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Boolean(update.Url.IsSet));
        command.Parameters.Add(Param.Text(update.Url.Value));
        AddSetting(command, update.TimeoutMs);
        AddSetting(command, update.MaxAttempts);
        AddSetting(command, update.RetryBaseDelayMs);
        AddSetting(command, update.RetryMaxDelayMs);
        AddSetting(command, update.DebounceMs);
        command.Parameters.Add(Boolean(update.HistoryMode.IsSet));
        command.Parameters.Add(Param.Text(AgentColumns.ToText(update.HistoryMode.Value)));
        AddSetting(command, update.HistoryCount);
        var (status, reason) = update.Status.Value;
        command.Parameters.Add(Boolean(update.Status.IsSet));
        command.Parameters.Add(Param.Text(AgentColumns.ToText(status)));
        command.Parameters.Add(Param.Text(status == AgentStatus.Disabled ? reason : null));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>Removes the registration (the participant stays); false if there was none.</summary>
    public async Task<bool> DeleteAsync(string participantId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from agents where participant_id = $1");
        command.Parameters.Add(Param.Text(participantId));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Makes <paramref name="newSecret"/> the signing secret; the one it replaces keeps signing until
    /// <paramref name="graceUntil"/> (a secret still in its grace from an earlier rotation is dropped).
    /// Returns the row after, or null if there is no registration.
    /// </summary>
    public async Task<AgentRow?> RotateSecretAsync(string participantId, string newSecret, DateTimeOffset graceUntil, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"""
            update agents set previous_secret = secret, previous_secret_expires_at = $3, secret = $2, updated_at = now()
            where participant_id = $1
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Text(newSecret));
        command.Parameters.Add(Param.TimestampTz(graceUntil));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops deliveries to the agent, recording why (<c>gone</c> when its endpoint answered 410, for example).
    /// Returns the row after, or null if there is no registration.
    /// </summary>
    public async Task<AgentRow?> DisableAsync(string participantId, string reason, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        await using var command = dataSource.CreateCommand($"""
            update agents set status = 'disabled', disabled_reason = $2, updated_at = now()
            where participant_id = $1
            returning {Columns}
            """);
        command.Parameters.Add(Param.Text(participantId));
        command.Parameters.Add(Param.Text(reason));
        return await ReadSingleAsync(command, ct).ConfigureAwait(false);
    }

    private static void AddSetting(NpgsqlCommand command, Change<int?> change)
    {
        command.Parameters.Add(Boolean(change.IsSet));
        command.Parameters.Add(NullableInteger(change.Value));
    }

    private static NpgsqlParameter NullableInteger(int? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value is { } number ? number : DBNull.Value };

    private static NpgsqlParameter Boolean(bool value) => new NpgsqlParameter<bool> { TypedValue = value };

    private static async Task<AgentRow?> ReadSingleAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static AgentRow Read(NpgsqlDataReader reader) => new(
        ParticipantId: reader.GetString(0),
        Url: reader.GetString(1),
        Secret: reader.GetString(2),
        PreviousSecret: reader.IsDBNull(3) ? null : reader.GetString(3),
        PreviousSecretExpiresAt: reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        Settings: new AgentSettings(
            TimeoutMs: NullableInt(reader, 5),
            MaxAttempts: NullableInt(reader, 6),
            RetryBaseDelayMs: NullableInt(reader, 7),
            RetryMaxDelayMs: NullableInt(reader, 8),
            DebounceMs: NullableInt(reader, 9),
            HistoryMode: AgentColumns.ParseHistoryMode(reader.GetString(10)),
            HistoryCount: NullableInt(reader, 11)),
        Status: AgentColumns.ParseStatus(reader.GetString(12)),
        DisabledReason: reader.IsDBNull(13) ? null : reader.GetString(13),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(14),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(15));

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}
