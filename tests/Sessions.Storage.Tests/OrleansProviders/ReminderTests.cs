using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;
using Sessions.Storage.Tests.Support;
using Sessions.Testing;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>One silo with the ADO.NET reminder service over a fresh database.</summary>
public sealed class ReminderSilo : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;

    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("orleans_reminders");
        Host = await OrleansTestHosts.StartSiloAsync(new TestSilo(ConnectionString, "reminders") { Reminders = true });
    }

    public async Task DisposeAsync()
    {
        await OrleansTestHosts.StopAsync(Host);
        Host.Dispose();
    }
}

/// <summary>Reminders through the ADO.NET reminder service on the migrated orleans_reminders table.</summary>
[Collection(OrleansCollection.Name)]
public sealed class ReminderTests(ReminderSilo silo) : IClassFixture<ReminderSilo>
{
    private static readonly DateTime InAnHour = DateTime.UtcNow.AddHours(1);

    [Fact]
    public async Task A_registered_reminder_fires_is_listed_and_is_gone_once_unregistered()
    {
        var alarm = silo.Host.Services.GetRequiredService<IGrainFactory>().GetGrain<IAlarmGrain>("wake-up");

        await alarm.SetAsync("tick", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

        var row = Assert.Single(await Db.ListAsync(
            silo.ConnectionString,
            "select reminder_name, period, version, grain_hash from orleans_reminders where grain_id = $1",
            r => (r.GetString(0), r.GetInt64(1), r.GetInt32(2), r.GetInt32(3)),
            alarm.GetGrainId().ToString()));
        Assert.Equal(("tick", 1000L, 0, unchecked((int)alarm.GetGrainId().GetUniformHashCode())), row);

        await Deadline.WaitUntilAsync(() => AlarmGrain.Ticks.GetValueOrDefault("wake-up/tick") >= 1, "the reminder fires", TimeSpan.FromSeconds(20));
        Assert.True(await alarm.HasAsync("tick"));
        Assert.Equal(["tick"], await alarm.NamesAsync());

        await alarm.CancelAsync("tick");

        Assert.False(await alarm.HasAsync("tick"));
        Assert.Empty(await alarm.NamesAsync());
        Assert.Equal(0L, await Db.ScalarAsync<long>(
            silo.ConnectionString, "select count(*) from orleans_reminders where grain_id = $1", alarm.GetGrainId().ToString()));
    }

    [Fact]
    public async Task Upserts_bump_the_version_and_a_removal_needs_the_current_one()
    {
        var table = silo.Host.Services.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("versioned", "one");

        Assert.Equal("0", await table.UpsertRow(Entry(grain, "r")));
        Assert.Equal("1", await table.UpsertRow(Entry(grain, "r", TimeSpan.FromMinutes(2))));
        Assert.Equal("0", await table.UpsertRow(Entry(grain, "other")));

        var read = await table.ReadRow(grain, "r");
        Assert.NotNull(read);
        Assert.Equal((grain, "r", TimeSpan.FromMinutes(2), "1"), (read.GrainId, read.ReminderName, read.Period, read.ETag));
        Assert.Equal(InAnHour, read.StartAt, TimeSpan.FromMilliseconds(1));
        Assert.Null(await table.ReadRow(grain, "missing"));
        Assert.Equal(["other", "r"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal));

        Assert.False(await table.RemoveRow(grain, "r", "0"));
        Assert.NotNull(await table.ReadRow(grain, "r"));
        Assert.True(await table.RemoveRow(grain, "r", "1"));
        Assert.Null(await table.ReadRow(grain, "r"));
        Assert.False(await table.RemoveRow(grain, "r", "1"));
    }

    [Fact]
    public async Task A_period_beyond_int32_milliseconds_is_kept_whole()
    {
        var table = silo.Host.Services.GetRequiredService<IReminderTable>();
        var grain = GrainId.Create("versioned", "long-period");
        var period = TimeSpan.FromDays(30); // 2,592,000,000 ms: the provider sends it as int8

        await table.UpsertRow(Entry(grain, "monthly", period));

        Assert.Equal(period, (await table.ReadRow(grain, "monthly"))?.Period);
    }

    /// <summary>
    /// Each silo reads its share of the ring: a range (begin, end] in the signed order of the stored hashes
    /// (ReadRangeRows1Key), or one that wraps past the end (ReadRangeRows2Key).
    /// </summary>
    [Fact]
    public async Task Range_reads_return_exactly_the_reminders_whose_grain_hash_falls_in_the_range()
    {
        var table = silo.Host.Services.GetRequiredService<IReminderTable>();
        var grains = Enumerable.Range(0, 24).Select(i => GrainId.Create("ranged", $"g{i}")).ToList();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "ranged"));
        }

        var hashes = grains.Select(g => (int)g.GetUniformHashCode()).Order().ToList();
        var low = hashes[5];
        var high = hashes[17];

        Assert.Equal(hashes.Where(h => h > low && h <= high), await RangeAsync(table, low, high));
        Assert.Equal(hashes.Where(h => h > high || h <= low), await RangeAsync(table, high, low));
        Assert.Equal(hashes, await RangeAsync(table, low, low));
    }

    /// <summary>The grain hashes of the "ranged" reminders in (begin, end], ascending in signed order.</summary>
    private static async Task<List<int>> RangeAsync(IReminderTable table, int begin, int end) =>
        (await table.ReadRows(unchecked((uint)begin), unchecked((uint)end))).Reminders
            .Where(r => r.ReminderName == "ranged")
            .Select(r => (int)r.GrainId.GetUniformHashCode())
            .Order()
            .ToList();

    // Due in an hour, so that the silo's reminder service never fires them during a test.
    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan? period = null) =>
        new() { GrainId = grain, ReminderName = name, StartAt = InAnHour, Period = period ?? TimeSpan.FromHours(1) };
}
