using Npgsql;
using NpgsqlTypes;
using Sessions.Actors;
using Sessions.Storage.Internal;

namespace Sessions.Storage.Membership;

// The protocol (Orleans ADO.NET clustering). A silo works from a snapshot (ReadAllAsync): the cluster's version, its
// rows, and the database's clock. Changing a row's status or suspicions, or adding a row, is a compare-and-swap on the
// version in one statement: the version row is bumped only where it still holds the version the caller read, and the
// row change is fed by that bump (a data-modifying CTE), so both happen or neither does. Two silos acting on the same
// snapshot queue on the version row's lock; under READ COMMITTED the second re-checks the version once the first has
// committed, finds it moved, and changes nothing. A failed compare-and-swap leaves no trace: no bump, no row.
//
// Heartbeats (iamalive_time) touch only the silo's own row and never the version, so they invalidate nobody's
// snapshot; neither does removing long-dead rows. Every time the table writes (but a new row's start_time) is the
// database's now(), so silos judge staleness on one clock (the snapshot's ReadAt) whatever their own clocks say.
//
// Locks: an update locks its silo row and then the version row; an insert locks the version row only; heartbeats and
// deletes lock silo rows only and never wait on the version. No two of them can wait on each other in a cycle.

/// <summary><see cref="IMembershipTable"/> over the <c>silo_membership</c> and <c>silo_membership_version</c> tables.</summary>
public sealed class PostgresMembershipTable(NpgsqlDataSource dataSource, string clusterId) : IMembershipTable
{
    private const string PrimaryKeyConstraint = "silo_membership_pkey";

    private const string EnsureVersionSql =
        "insert into silo_membership_version (cluster_id) values ($1) on conflict (cluster_id) do nothing";

    // One statement, so version and rows come from one snapshot.
    private const string ReadAllSql = """
        select v.version, now(), m.host, m.port, m.generation, m.silo_name, m.status, m.start_time, m.iamalive_time, m.suspicions
        from silo_membership_version v
        left join silo_membership m on m.cluster_id = v.cluster_id
        where v.cluster_id = $1
        order by m.host, m.port, m.generation
        """;

    // The bump also requires the row to be absent, so a duplicate insert fails without bumping (rather than
    // bumping and then failing on the primary key, which would abort the statement with an error).
    private const string InsertSql = """
        with bumped as (
            update silo_membership_version
            set version = version + 1, updated_at = now()
            where cluster_id = $1 and version = $2
              and not exists (
                  select 1 from silo_membership
                  where cluster_id = $1 and host = $3 and port = $4 and generation = $5)
            returning cluster_id)
        insert into silo_membership (cluster_id, host, port, generation, silo_name, status, start_time, iamalive_time, suspicions)
        select bumped.cluster_id, $3, $4, $5, $6, $7, $8, now(), $9 from bumped
        """;

    // The silo row is locked first (the lock the update takes anyway), so it cannot be deleted between the bump and
    // the update: when the row is missing nothing is bumped. Heartbeats on the row wait for this statement, not fail.
    private const string UpdateSql = """
        with target as materialized (
            select 1 from silo_membership
            where cluster_id = $1 and host = $3 and port = $4 and generation = $5
            for no key update),
        bumped as (
            update silo_membership_version
            set version = version + 1, updated_at = now()
            where cluster_id = $1 and version = $2 and exists (select 1 from target)
            returning cluster_id)
        update silo_membership m
        set status = $6, suspicions = $7
        from bumped
        where m.cluster_id = bumped.cluster_id and m.host = $3 and m.port = $4 and m.generation = $5
        """;

    private const string IAmAliveSql = """
        update silo_membership set iamalive_time = now()
        where cluster_id = $1 and host = $2 and port = $3 and generation = $4
        """;

    // Status 4 is SiloStatus.Dead.
    private const string DeleteDeadSql = """
        delete from silo_membership
        where cluster_id = $1 and status = 4 and iamalive_time < now() - $2
        """;

    /// <summary>The cluster whose rows this table reads and writes; other clusters in the database are invisible to it.</summary>
    public string ClusterId { get; } = string.IsNullOrWhiteSpace(clusterId)
        ? throw new ArgumentException("A cluster id is required.", nameof(clusterId))
        : clusterId;

    public async Task<MembershipSnapshot> ReadAllAsync(CancellationToken cancellationToken)
    {
        // One round trip; the select runs after the insert, so it sees the version row whoever created it.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(EnsureVersionSql) { Parameters = { Param.Text(ClusterId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(ReadAllSql) { Parameters = { Param.Text(ClusterId) } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The membership version row of cluster '{ClusterId}' vanished while being read.");
        }

        var version = reader.GetInt64(0);
        var readAt = reader.GetFieldValue<DateTimeOffset>(1);
        var entries = new List<MembershipEntry>();
        do
        {
            // The left join yields one row of nulls for a cluster without silos.
            if (!reader.IsDBNull(2))
            {
                entries.Add(ReadEntry(reader));
            }
        }
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false));

        return new MembershipSnapshot(version, entries, readAt);
    }

    public async Task<bool> TryInsertAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = dataSource.CreateCommand(InsertSql);
        AddKey(command, entry.Address, expectedVersion);
        command.Parameters.Add(Param.Text(entry.SiloName));
        command.Parameters.Add(StatusParameter(entry.Status));
        command.Parameters.Add(Param.TimestampTz(entry.StartTime));
        command.Parameters.Add(SuspicionsParameter(entry.Suspicions));
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == PrimaryKeyConstraint)
        {
            // Only a writer outside this protocol (inserting without bumping the version) can get here.
            return false;
        }
    }

    public async Task<bool> TryUpdateAsync(MembershipEntry entry, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = dataSource.CreateCommand(UpdateSql);
        AddKey(command, entry.Address, expectedVersion);
        command.Parameters.Add(StatusParameter(entry.Status));
        command.Parameters.Add(SuspicionsParameter(entry.Suspicions));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task UpdateIAmAliveAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(IAmAliveSql);
        command.Parameters.Add(Param.Text(ClusterId));
        command.Parameters.Add(Param.Text(silo.Host));
        command.Parameters.Add(Param.Integer(silo.Port));
        command.Parameters.Add(Param.Bigint(silo.Generation));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteDeadAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(age, TimeSpan.Zero);
        await using var command = dataSource.CreateCommand(DeleteDeadSql);
        command.Parameters.Add(Param.Text(ClusterId));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = age }); // interval
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // $1 cluster, $2 expected version, $3..$5 the silo's key.
    private void AddKey(NpgsqlCommand command, SiloAddress silo, long expectedVersion)
    {
        command.Parameters.Add(Param.Text(ClusterId));
        command.Parameters.Add(Param.Bigint(expectedVersion));
        command.Parameters.Add(Param.Text(silo.Host));
        command.Parameters.Add(Param.Integer(silo.Port));
        command.Parameters.Add(Param.Bigint(silo.Generation));
    }

    private static NpgsqlParameter StatusParameter(SiloStatus status) =>
        new NpgsqlParameter<short> { TypedValue = SiloStatusColumn.ToValue(status) };

    private static NpgsqlParameter SuspicionsParameter(IReadOnlyList<SiloSuspicion> suspicions) =>
        new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = SuspicionsColumn.ToJson(suspicions) };

    private static MembershipEntry ReadEntry(NpgsqlDataReader reader) => new(
        Address: new SiloAddress(reader.GetString(2), reader.GetInt32(3), reader.GetInt64(4)),
        SiloName: reader.GetString(5),
        Status: SiloStatusColumn.Parse(reader.GetInt16(6)),
        StartTime: reader.GetFieldValue<DateTimeOffset>(7),
        IAmAliveTime: reader.GetFieldValue<DateTimeOffset>(8),
        Suspicions: SuspicionsColumn.Parse(reader.GetString(9)));
}
