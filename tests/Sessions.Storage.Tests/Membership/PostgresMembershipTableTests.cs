using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Sessions.Actors;
using Sessions.Storage.Membership;
using Sessions.Storage.Tests.Support;
using Sessions.Testing;

namespace Sessions.Storage.Tests.Membership;

// Each test takes a cluster of its own (a fresh cluster id) in the class's database, so tests never see each other.
public sealed class PostgresMembershipTableTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Reading_a_new_cluster_creates_its_version_at_zero_with_no_silos()
    {
        var table = NewTable();

        var first = await table.ReadAllAsync(None);
        var second = await table.ReadAllAsync(None);

        Assert.Equal((0L, 0), (first.Version, first.Entries.Count));
        Assert.Equal((0L, 0), (second.Version, second.Entries.Count));
        Assert.Equal(1L, await ScalarAsync<long>("select count(*) from silo_membership_version where cluster_id = $1", table.ClusterId));
    }

    [Fact]
    public async Task Inserting_then_reading_returns_every_field_with_iamalive_on_the_database_clock()
    {
        var table = NewTable();
        await table.ReadAllAsync(None);
        var suspecter = new SiloAddress("10.0.0.7", 11111, 1_700_000_000_123);
        var ipv6Suspecter = new SiloAddress("::1", 30000, 42);
        var entry = new MembershipEntry(
            new SiloAddress("silo-a.sessions.svc", 11111, 1_735_000_000_000),
            "silo-a",
            SiloStatus.ShuttingDown,
            StartTime: new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1230), // whole microseconds, as timestamptz keeps
            IAmAliveTime: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), // ignored: the database stamps it
            Suspicions:
            [
                new SiloSuspicion(suspecter, new DateTimeOffset(2025, 3, 4, 6, 0, 0, TimeSpan.Zero).AddTicks(1_234_567)),
                new SiloSuspicion(ipv6Suspecter, new DateTimeOffset(2025, 3, 4, 1, 0, 0, TimeSpan.FromHours(-5))),
            ]);
        var before = await DatabaseClockAsync();

        Assert.True(await table.TryInsertAsync(entry, 0, None));

        var after = await DatabaseClockAsync();
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(1L, snapshot.Version);
        var stored = Assert.Single(snapshot.Entries);
        Assert.Equal((entry.Address, entry.SiloName, entry.Status, entry.StartTime), (stored.Address, stored.SiloName, stored.Status, stored.StartTime));
        Assert.Equal(entry.Suspicions, stored.Suspicions);
        Assert.InRange(stored.IAmAliveTime, before, after);

        // The column holds what the migration documents: suspecter as host:port@generation, at as a timestamp.
        Assert.Equal(suspecter.ToString(), await ScalarAsync<string>(
            "select suspicions -> 0 ->> 'suspecter' from silo_membership where cluster_id = $1", table.ClusterId));
        Assert.Equal(ipv6Suspecter.ToString(), await ScalarAsync<string>(
            "select suspicions -> 1 ->> 'suspecter' from silo_membership where cluster_id = $1", table.ClusterId));
        Assert.Equal(entry.Suspicions[1].At, await ScalarAsync<DateTimeOffset>(
            "select (suspicions -> 1 ->> 'at')::timestamptz from silo_membership where cluster_id = $1", table.ClusterId));
    }

    [Fact]
    public async Task Two_updates_against_the_same_version_let_exactly_one_win_and_each_win_adds_one_to_the_version()
    {
        var table = NewTable();
        var silo = Entry(port: 1);
        await table.ReadAllAsync(None);
        Assert.True(await table.TryInsertAsync(silo, 0, None));

        var active = await table.TryUpdateAsync(silo with { Status = SiloStatus.Active }, 1, None);
        var dead = await table.TryUpdateAsync(silo with { Status = SiloStatus.Dead }, 1, None);

        Assert.Equal((true, false), (active, dead));
        var afterOne = await table.ReadAllAsync(None);
        Assert.Equal((2L, SiloStatus.Active), (afterOne.Version, Assert.Single(afterOne.Entries).Status));

        Assert.True(await table.TryUpdateAsync(silo with { Status = SiloStatus.ShuttingDown }, 2, None));
        var afterTwo = await table.ReadAllAsync(None);
        Assert.Equal((3L, SiloStatus.ShuttingDown), (afterTwo.Version, Assert.Single(afterTwo.Entries).Status));
    }

    [Fact]
    public async Task Updating_replaces_status_and_suspicions_and_keeps_name_and_times()
    {
        var table = NewTable();
        var silo = Entry(port: 1);
        await table.ReadAllAsync(None);
        await table.TryInsertAsync(silo, 0, None);
        var inserted = Assert.Single((await table.ReadAllAsync(None)).Entries);
        var suspicion = new SiloSuspicion(new SiloAddress("peer", 2, 7), new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

        Assert.True(await table.TryUpdateAsync(
            silo with { Status = SiloStatus.Active, SiloName = "renamed", StartTime = DateTimeOffset.UnixEpoch, IAmAliveTime = DateTimeOffset.UnixEpoch, Suspicions = [suspicion] },
            1, None));

        var suspected = Assert.Single((await table.ReadAllAsync(None)).Entries);
        Assert.Equal(inserted with { Status = SiloStatus.Active, Suspicions = suspected.Suspicions }, suspected);
        Assert.Equal([suspicion], suspected.Suspicions);

        Assert.True(await table.TryUpdateAsync(silo with { Status = SiloStatus.Active, Suspicions = [] }, 2, None));
        Assert.Empty(Assert.Single((await table.ReadAllAsync(None)).Entries).Suspicions);
    }

    [Fact]
    public async Task Inserting_with_a_stale_or_future_version_fails_and_writes_nothing()
    {
        var table = NewTable();
        await table.ReadAllAsync(None);
        Assert.True(await table.TryInsertAsync(Entry(port: 1), 0, None));

        var stale = await table.TryInsertAsync(Entry(port: 2), 0, None);
        var future = await table.TryInsertAsync(Entry(port: 3), 5, None);

        Assert.Equal((false, false), (stale, future));
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(1L, snapshot.Version);
        Assert.Equal([1], snapshot.Entries.Select(e => e.Address.Port));
    }

    [Fact]
    public async Task Inserting_a_silo_already_in_the_table_fails_and_keeps_the_row_and_the_version()
    {
        var table = NewTable();
        var silo = Entry(port: 1);
        await table.ReadAllAsync(None);
        await table.TryInsertAsync(silo, 0, None);

        var duplicate = await table.TryInsertAsync(silo with { SiloName = "impostor", Status = SiloStatus.Active }, 1, None);

        Assert.False(duplicate);
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(1L, snapshot.Version);
        Assert.Equal((silo.SiloName, SiloStatus.Joining), (Assert.Single(snapshot.Entries).SiloName, snapshot.Entries[0].Status));
    }

    [Fact]
    public async Task A_restart_on_the_same_host_and_port_is_a_new_row()
    {
        var table = NewTable();
        var first = Entry(port: 1);
        var restarted = first with { Address = first.Address with { Generation = first.Address.Generation + 1 } };
        await table.ReadAllAsync(None);

        Assert.True(await table.TryInsertAsync(first, 0, None));
        Assert.True(await table.TryInsertAsync(restarted, 1, None));

        Assert.Equal([first.Address, restarted.Address], (await table.ReadAllAsync(None)).Entries.Select(e => e.Address));
    }

    [Fact]
    public async Task Updating_a_silo_not_in_the_table_fails_without_bumping_the_version()
    {
        var table = NewTable();
        await table.ReadAllAsync(None);

        Assert.False(await table.TryUpdateAsync(Entry(port: 1) with { Status = SiloStatus.Dead }, 0, None));

        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal((0L, 0), (snapshot.Version, snapshot.Entries.Count));
    }

    [Fact]
    public async Task Writing_to_a_cluster_never_read_fails_until_a_read_creates_its_version()
    {
        var table = NewTable();

        Assert.False(await table.TryInsertAsync(Entry(port: 1), 0, None));
        Assert.False(await table.TryUpdateAsync(Entry(port: 1), 0, None));

        Assert.Equal(0L, (await table.ReadAllAsync(None)).Version);
        Assert.True(await table.TryInsertAsync(Entry(port: 1), 0, None));
    }

    [Fact]
    public async Task A_heartbeat_moves_iamalive_time_forward_and_leaves_the_version_alone()
    {
        var table = NewTable();
        var silo = Entry(port: 1);
        await table.ReadAllAsync(None);
        await table.TryInsertAsync(silo, 0, None);
        await BackdateIAmAliveAsync(table.ClusterId, silo.Address, TimeSpan.FromHours(1));
        var stale = await table.ReadAllAsync(None);

        await table.UpdateIAmAliveAsync(silo.Address, None);

        var fresh = await table.ReadAllAsync(None);
        Assert.Equal(stale.Version, fresh.Version);
        Assert.InRange(Assert.Single(fresh.Entries).IAmAliveTime, stale.ReadAt, fresh.ReadAt);
        Assert.True(fresh.Entries[0].IAmAliveTime > stale.Entries[0].IAmAliveTime);
        Assert.True(await table.TryUpdateAsync(silo with { Status = SiloStatus.Active }, stale.Version, None), "a heartbeat must not invalidate a snapshot");
    }

    [Fact]
    public async Task A_heartbeat_for_a_silo_not_in_the_table_changes_nothing()
    {
        var table = NewTable();
        await table.ReadAllAsync(None);

        await table.UpdateIAmAliveAsync(new SiloAddress("ghost", 1, 1), None);

        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal((0L, 0), (snapshot.Version, snapshot.Entries.Count));
    }

    [Fact]
    public async Task Clusters_sharing_a_database_do_not_see_each_other()
    {
        var (blue, green) = (NewTable(), NewTable());
        var silo = Entry(port: 1, status: SiloStatus.Dead);
        await blue.ReadAllAsync(None);
        await green.ReadAllAsync(None);

        // The same silo address in both, each on its own version.
        Assert.True(await blue.TryInsertAsync(silo, 0, None));
        Assert.True(await green.TryInsertAsync(silo with { SiloName = "green" }, 0, None));
        Assert.True(await blue.TryInsertAsync(Entry(port: 2), 1, None));
        Assert.True(await blue.TryUpdateAsync(silo with { Suspicions = [new SiloSuspicion(new SiloAddress("x", 3, 3), DateTimeOffset.UnixEpoch)] }, 2, None));
        await BackdateIAmAliveAsync(green.ClusterId, silo.Address, TimeSpan.FromHours(1));
        await blue.UpdateIAmAliveAsync(silo.Address, None);
        Assert.Equal(0, await blue.DeleteDeadAsync(TimeSpan.FromMinutes(1), None));

        var blueView = await blue.ReadAllAsync(None);
        var greenView = await green.ReadAllAsync(None);
        Assert.Equal((3L, 2), (blueView.Version, blueView.Entries.Count));
        Assert.Equal(1L, greenView.Version);
        var greenRow = Assert.Single(greenView.Entries);
        Assert.Equal(("green", 0), (greenRow.SiloName, greenRow.Suspicions.Count));
        Assert.True(greenRow.IAmAliveTime < blueView.Entries[0].IAmAliveTime - TimeSpan.FromMinutes(30), "blue's heartbeat must not touch green's row");
    }

    [Fact]
    public async Task Sixteen_concurrent_updates_on_one_version_let_exactly_one_succeed()
    {
        var table = NewTable();
        var silo = Entry(port: 1);
        await table.ReadAllAsync(None);
        await table.TryInsertAsync(silo, 0, None);
        var attempts = Enumerable.Range(1, 16)
            .Select(i => silo with { Status = SiloStatus.Active, Suspicions = [new SiloSuspicion(new SiloAddress("voter", i, i), DateTimeOffset.UnixEpoch)] })
            .ToList();

        var results = await RaceAsync(attempts, attempt => table.TryUpdateAsync(attempt, 1, None));

        var winner = Assert.Single(attempts.Where((_, i) => results[i]));
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(2L, snapshot.Version);
        Assert.Equal(winner.Suspicions, Assert.Single(snapshot.Entries).Suspicions);
    }

    [Fact]
    public async Task Sixteen_concurrent_inserts_on_one_version_let_exactly_one_succeed()
    {
        var table = NewTable();
        await table.ReadAllAsync(None);
        var attempts = Enumerable.Range(1, 16).Select(port => Entry(port)).ToList();

        var results = await RaceAsync(attempts, attempt => table.TryInsertAsync(attempt, 0, None));

        var winner = Assert.Single(attempts.Where((_, i) => results[i]));
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal(1L, snapshot.Version);
        Assert.Equal(winner.Address, Assert.Single(snapshot.Entries).Address);
    }

    [Fact]
    public async Task Heartbeats_racing_status_changes_neither_fail_nor_invalidate_them()
    {
        var table = NewTable();
        var silos = Enumerable.Range(1, 4).Select(port => Entry(port)).ToList();
        await table.ReadAllAsync(None);
        for (var i = 0; i < silos.Count; i++)
        {
            Assert.True(await table.TryInsertAsync(silos[i], i, None));
        }

        using var stop = new CancellationTokenSource();
        var heartbeats = silos.Select(silo => Task.Run(async () =>
        {
            var beats = 0;
            while (!stop.IsCancellationRequested)
            {
                await table.UpdateIAmAliveAsync(silo.Address, None);
                beats++;
            }

            return beats;
        })).ToList();

        for (var round = 0; round < 40; round++)
        {
            var snapshot = await table.ReadAllAsync(None);
            var silo = silos[round % silos.Count];
            var status = round % 2 == 0 ? SiloStatus.Active : SiloStatus.ShuttingDown;
            Assert.True(await table.TryUpdateAsync(silo with { Status = status }, snapshot.Version, None), $"round {round}");
        }

        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(heartbeats), beats => Assert.True(beats > 0));
        Assert.Equal(silos.Count + 40L, (await table.ReadAllAsync(None)).Version);
    }

    [Fact]
    public async Task A_status_change_waiting_on_a_deletion_of_its_row_fails_without_bumping_the_version()
    {
        var table = NewTable();
        var silo = Entry(port: 1, status: SiloStatus.Dead);
        await table.ReadAllAsync(None);
        await table.TryInsertAsync(silo, 0, None);
        await using var deleter = await database.DataSource.OpenConnectionAsync();
        await using var deletion = await deleter.BeginTransactionAsync();
        await using (var delete = new NpgsqlCommand("delete from silo_membership where cluster_id = $1", deleter))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = table.ClusterId });
            Assert.Equal(1, await delete.ExecuteNonQueryAsync());
        }

        var update = table.TryUpdateAsync(silo with { Suspicions = [] }, 1, None);
        await WaitUntilSomeoneWaitsOnALockAsync();
        await deletion.CommitAsync();

        Assert.False(await update);
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal((1L, 0), (snapshot.Version, snapshot.Entries.Count));
    }

    [Fact]
    public async Task Deleting_dead_silos_removes_only_dead_rows_older_than_the_age()
    {
        var (table, neighbour) = (NewTable(), NewTable());
        var oldDead = Entry(port: 1, status: SiloStatus.Dead);
        var freshDead = Entry(port: 2, status: SiloStatus.Dead);
        var oldActive = Entry(port: 3, status: SiloStatus.Active);
        await table.ReadAllAsync(None);
        await neighbour.ReadAllAsync(None);
        await table.TryInsertAsync(oldDead, 0, None);
        await table.TryInsertAsync(freshDead, 1, None);
        await table.TryInsertAsync(oldActive, 2, None);
        await neighbour.TryInsertAsync(oldDead, 0, None);
        await BackdateIAmAliveAsync(table.ClusterId, oldDead.Address, TimeSpan.FromHours(2));
        await BackdateIAmAliveAsync(table.ClusterId, oldActive.Address, TimeSpan.FromHours(2));
        await BackdateIAmAliveAsync(neighbour.ClusterId, oldDead.Address, TimeSpan.FromHours(2));

        var deleted = await table.DeleteDeadAsync(TimeSpan.FromHours(1), None);

        Assert.Equal(1, deleted);
        var snapshot = await table.ReadAllAsync(None);
        Assert.Equal([freshDead.Address, oldActive.Address], snapshot.Entries.Select(e => e.Address));
        Assert.Equal(3L, snapshot.Version);
        Assert.Single((await neighbour.ReadAllAsync(None)).Entries);
        Assert.Equal(0, await table.DeleteDeadAsync(TimeSpan.FromHours(1), None));
    }

    [Fact]
    public async Task ReadAt_is_the_database_clock()
    {
        var table = NewTable();
        var before = await DatabaseClockAsync();

        var snapshot = await table.ReadAllAsync(None);

        var after = await DatabaseClockAsync();
        Assert.InRange(snapshot.ReadAt, before, after);
        Assert.Equal(TimeSpan.Zero, snapshot.ReadAt.Offset);
    }

    [Fact]
    public void A_table_needs_a_cluster_id()
    {
        Assert.Throws<ArgumentException>(() => new PostgresMembershipTable(database.DataSource, ""));
        Assert.Throws<ArgumentException>(() => new PostgresMembershipTable(database.DataSource, " "));
    }

    [Fact]
    public async Task AddSessionsMembership_provides_one_table_for_the_cluster_over_the_storage_data_source()
    {
        var services = new ServiceCollection()
            .AddSessionsStorage(await TestPostgres.CreateDatabaseAsync("membership"))
            .AddSessionsMembership("cluster-a");
        await using var provider = services.BuildServiceProvider();

        var table = provider.GetRequiredService<IMembershipTable>();

        Assert.Same(table, provider.GetRequiredService<IMembershipTable>());
        Assert.Equal("cluster-a", Assert.IsType<PostgresMembershipTable>(table).ClusterId);
        Assert.Equal(0L, (await table.ReadAllAsync(None)).Version);
    }

    private PostgresMembershipTable NewTable() => new(database.DataSource, Seed.NewId("cluster"));

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining) => new(
        new SiloAddress("10.1.0.1", port, 1_735_000_000_000 + port),
        $"silo-{port}",
        status,
        new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        []);

    // All attempts wait at one gate, so they reach the database together.
    private static async Task<bool[]> RaceAsync<T>(IReadOnlyList<T> attempts, Func<T, Task<bool>> attempt)
    {
        using var gate = new ManualResetEventSlim();
        var racers = attempts.Select(a => Task.Run(async () =>
        {
            gate.Wait();
            return await attempt(a);
        })).ToList();
        gate.Set();
        return await Task.WhenAll(racers);
    }

    // Makes a row "old" without waiting: heartbeats only ever write now().
    private async Task BackdateIAmAliveAsync(string clusterId, SiloAddress silo, TimeSpan by)
    {
        await using var command = database.DataSource.CreateCommand("""
            update silo_membership set iamalive_time = iamalive_time - $5
            where cluster_id = $1 and host = $2 and port = $3 and generation = $4
            """);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = silo.Host });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = silo.Port });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = silo.Generation });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = by });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task WaitUntilSomeoneWaitsOnALockAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await ScalarAsync<long>("select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until a statement waits on a lock.");
            await Task.Delay(10);
        }
    }

    private Task<DateTimeOffset> DatabaseClockAsync() => ScalarAsync<DateTimeOffset>("select clock_timestamp()");

    private async Task<T> ScalarAsync<T>(string sql, string? parameter = null)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetFieldValue<T>(0);
    }
}
