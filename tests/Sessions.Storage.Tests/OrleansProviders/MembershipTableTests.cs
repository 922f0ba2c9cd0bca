using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService;
using Sessions.Testing;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>A migrated database shared by the tests of a class, which keep apart by cluster id.</summary>
public sealed class OrleansDatabase : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;

    public async Task InitializeAsync() => ConnectionString = await TestPostgres.CreateDatabaseAsync("orleans_membership");

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The clustering provider's table (AdoNetClusteringTable, the class silos use) driven call by call against the
/// migrated schema: the compare-and-swap on the version, heartbeats, reads, clean-up and deletion.
/// </summary>
public sealed class MembershipTableTests(OrleansDatabase database) : IClassFixture<OrleansDatabase>
{
    private static readonly DateTime LongAgo = DateTime.UtcNow.AddHours(-1);

    [Fact]
    public async Task A_write_commits_only_with_the_version_it_read_and_bumps_it()
    {
        var connectionString = database.ConnectionString;
        var table = await OpenAsync(connectionString, "cas");

        Assert.Equal(0, (await table.ReadAllAsync()).Version.Version);
        await OpenAsync(connectionString, "cas"); // a second silo's start finds the version row and keeps it
        var empty = await table.ReadAllAsync();
        Assert.Equal(0, empty.Version.Version);
        Assert.Empty(empty.Members);

        var a = Entry(11111, SiloStatus.Joining);
        Assert.True(await table.InsertRowAsync(a, empty.Version.Next()));
        var afterInsert = await table.ReadAllAsync();
        Assert.Equal(1, afterInsert.Version.Version);
        AssertSame(a, Assert.Single(afterInsert.Members).Item1);

        // Stale version: nothing is written, nothing is bumped.
        var b = Entry(22222, SiloStatus.Joining);
        Assert.False(await table.InsertRowAsync(b, empty.Version.Next()));
        // Current version, but this generation already has a row: a lost race, again without a bump.
        Assert.False(await table.InsertRowAsync(a, afterInsert.Version.Next()));
        var unchanged = await table.ReadAllAsync();
        Assert.Equal(1, unchanged.Version.Version);
        Assert.Equal(a.SiloAddress, Assert.Single(unchanged.Members).Item1.SiloAddress);

        var active = Entry(11111, SiloStatus.Active, a.SiloAddress.Generation);
        active.SuspectTimes = [Tuple.Create(b.SiloAddress, DateTime.UtcNow), Tuple.Create(a.SiloAddress, DateTime.UtcNow.AddSeconds(-3))];
        Assert.False(await table.UpdateRowAsync(active, empty.Version.VersionEtag, empty.Version.Next()));
        var stillJoining = await table.ReadRowAsync(a.SiloAddress);
        Assert.Equal(SiloStatus.Joining, Assert.Single(stillJoining.Members).Item1.Status);
        Assert.Equal(1, stillJoining.Version.Version);

        Assert.True(await table.UpdateRowAsync(active, unchanged.Version.VersionEtag, unchanged.Version.Next()));
        var updated = await table.ReadRowAsync(a.SiloAddress);
        Assert.Equal(2, updated.Version.Version);
        var row = Assert.Single(updated.Members).Item1;
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(
            active.SuspectTimes.Select(s => (s.Item1, s.Item2.ToString("yyyy-MM-dd HH:mm:ss.fff"))),
            Assert.IsType<List<Tuple<SiloAddress, DateTime>>>(row.SuspectTimes).Select(s => (s.Item1, s.Item2.ToString("yyyy-MM-dd HH:mm:ss.fff"))));

        // An update of a silo without a row changes nothing either.
        Assert.False(await table.UpdateRowAsync(b, updated.Version.VersionEtag, updated.Version.Next()));
        Assert.Equal(2, (await table.ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task Of_sixteen_writers_racing_on_one_version_exactly_one_wins()
    {
        var connectionString = database.ConnectionString;
        var tables = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => OpenAsync(connectionString, "race")));
        var version = (await tables[0].ReadAllAsync()).Version;

        var inserts = await Task.WhenAll(tables.Select((table, i) => Task.Run(() => table.InsertRowAsync(Entry(20000 + i, SiloStatus.Joining), version.Next()))));

        Assert.Single(inserts, won => won);
        var afterInserts = await tables[0].ReadAllAsync();
        Assert.Equal(1, afterInserts.Version.Version);
        var silo = Assert.Single(afterInserts.Members).Item1;

        var updates = await Task.WhenAll(tables.Select(table => Task.Run(() =>
        {
            var active = Entry(silo.SiloAddress.Endpoint.Port, SiloStatus.Active, silo.SiloAddress.Generation);
            return table.UpdateRowAsync(active, afterInserts.Version.VersionEtag, afterInserts.Version.Next());
        })));

        Assert.Single(updates, won => won);
        Assert.Equal(2, (await tables[0].ReadAllAsync()).Version.Version);
    }

    [Fact]
    public async Task A_heartbeat_moves_only_the_heartbeat_and_reading_a_silo_without_a_row_still_gives_the_version()
    {
        var connectionString = database.ConnectionString;
        var table = await OpenAsync(connectionString, "heartbeat");
        var entry = Entry(11111, SiloStatus.Active);
        Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));

        var beat = DateTime.UtcNow.AddSeconds(5);
        entry.IAmAliveTime = beat;
        entry.Status = SiloStatus.Dead; // not the heartbeat's business
        await table.UpdateIAmAliveAsync(entry);

        var read = await table.ReadRowAsync(entry.SiloAddress);
        Assert.Equal(1, read.Version.Version);
        var row = Assert.Single(read.Members).Item1;
        Assert.Equal(SiloStatus.Active, row.Status);
        Assert.Equal(beat, row.IAmAliveTime, TimeSpan.FromMilliseconds(1));

        var nobody = await table.ReadRowAsync(SiloAddress.New(IPAddress.Loopback, 33333, 7));
        Assert.Empty(nobody.Members);
        Assert.Equal(1, nobody.Version.Version);
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_its_rows_and_version_and_nothing_of_another_cluster()
    {
        var connectionString = database.ConnectionString;
        var doomed = await OpenAsync(connectionString, "doomed");
        var kept = await OpenAsync(connectionString, "kept");
        Assert.True(await doomed.InsertRowAsync(Entry(11111, SiloStatus.Active), (await doomed.ReadAllAsync()).Version.Next()));
        Assert.True(await kept.InsertRowAsync(Entry(11111, SiloStatus.Active), (await kept.ReadAllAsync()).Version.Next()));

        await doomed.DeleteMembershipTableEntriesAsync("doomed");

        Assert.Equal(0L, await Db.ScalarAsync<long>(connectionString, "select count(*) from orleans_membership where deployment_id = 'doomed'"));
        Assert.Equal(0L, await Db.ScalarAsync<long>(connectionString, "select count(*) from orleans_membership_version where deployment_id = 'doomed'"));
        Assert.Single((await kept.ReadAllAsync()).Members);
    }

    /// <summary>
    /// Both clean-up statements: the provider prefers the optional CleanupDefunctSiloEntryKey (row by row, only Dead
    /// rows that still hold what it read) and falls back to CleanupDefunctSiloEntriesKey (every silo that is not
    /// Active and fell silent before the cut-off) when a database lacks it.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Cleanup_removes_long_dead_silos_and_keeps_the_living_and_the_recently_dead(bool rowByRow)
    {
        // Without the optional key the provider takes the other statement; only a database of its own can lack it.
        var connectionString = rowByRow ? database.ConnectionString : await TestPostgres.CreateDatabaseAsync("orleans_cleanup");
        if (!rowByRow)
        {
            Assert.Equal(1, await Db.ExecuteAsync(connectionString, "delete from orleansquery where querykey = 'CleanupDefunctSiloEntryKey'"));
        }

        var table = await OpenAsync(connectionString, "cleanup");
        var longDead = Entry(1, SiloStatus.Dead, startTime: LongAgo);
        var longDeadNoVotes = Entry(2, SiloStatus.Dead, startTime: LongAgo);
        var recentlyDead = Entry(3, SiloStatus.Dead, startTime: LongAgo);
        recentlyDead.IAmAliveTime = DateTime.UtcNow;
        var silentButActive = Entry(4, SiloStatus.Active, startTime: LongAgo);
        foreach (var entry in new[] { longDead, longDeadNoVotes, recentlyDead, silentButActive })
        {
            Assert.True(await table.InsertRowAsync(entry, (await table.ReadAllAsync()).Version.Next()));
        }

        // A row may hold no votes as '' rather than null; the row-by-row statement must still recognize it.
        await Db.ExecuteAsync(connectionString, "update orleans_membership set suspect_times = '' where deployment_id = 'cleanup' and port = 2");

        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(-30));

        var left = (await table.ReadAllAsync()).Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order();
        Assert.Equal([3, 4], left);
    }

    private static async Task<AdoNetClusteringTable> OpenAsync(string connectionString, string clusterId)
    {
        var table = new AdoNetClusteringTable(
            new ServiceCollection().BuildServiceProvider(),
            Options.Create(new ClusterOptions { ClusterId = clusterId, ServiceId = "sessions-tests" }),
            Options.Create(new AdoNetClusteringSiloOptions { Invariant = OrleansTestHosts.Invariant, ConnectionString = connectionString }),
            NullLogger<AdoNetClusteringTable>.Instance);
        await table.InitializeMembershipTableAsync(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status, int generation = 0, DateTime? startTime = null)
    {
        var start = startTime ?? DateTime.UtcNow.AddMinutes(-1);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(IPAddress.Loopback, port, generation == 0 ? 1000 + port : generation),
            Status = status,
            HostName = "localhost",
            SiloName = $"silo-{port}",
            ProxyPort = port + 1,
            StartTime = start,
            IAmAliveTime = start,
        };
    }

    private static void AssertSame(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.ProxyPort, actual.ProxyPort);
        Assert.Equal(expected.StartTime, actual.StartTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime, TimeSpan.FromMilliseconds(1));
        Assert.Equal(DateTimeKind.Utc, actual.StartTime.Kind);
    }
}
