using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;
using Sessions.Testing;

namespace Sessions.Storage.Tests.OrleansProviders;

/// <summary>One silo with two ADO.NET grain storages ("store" clears, "deleting" deletes) over a fresh database.</summary>
public sealed class StorageSilo : IAsyncLifetime
{
    public string ConnectionString { get; private set; } = null!;

    public IHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync("orleans_storage");
        Host = await OrleansTestHosts.StartSiloAsync(new TestSilo(ConnectionString, "storage")
        {
            GrainStorages = new Dictionary<string, bool> { ["store"] = false, ["deleting"] = true },
        });
    }

    public async Task DisposeAsync()
    {
        await OrleansTestHosts.StopAsync(Host);
        Host.Dispose();
    }
}

/// <summary>
/// Grains keep state through the ADO.NET grain storage provider on the migrated orleans_storage table. The tests
/// share one silo and keep apart by grain key.
/// </summary>
[Collection(OrleansCollection.Name)]
public sealed class GrainStorageTests(StorageSilo silo) : IClassFixture<StorageSilo>
{
    private readonly string _connectionString = silo.ConnectionString;
    private readonly IHost _silo = silo.Host;

    private IGrainFactory Grains => _silo.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task State_written_by_one_activation_is_read_by_the_next()
    {
        await AssertRoundTripAsync(Grains.GetGrain<INoteGrain>("round-trip"), "round-trip");
        await AssertRoundTripAsync(Grains.GetGrain<INumberedNoteGrain>(42), extension: null);
    }

    [Fact]
    public async Task Clearing_keeps_a_versioned_row_without_state_and_writing_again_continues_the_versions()
    {
        var note = Grains.GetGrain<INoteGrain>("cleared");
        await note.WriteAsync("soon gone");
        await note.ClearAsync();

        var cleared = await note.ReadAsync();
        Assert.Null(cleared.Text);
        Assert.False(cleared.RecordExists);
        Assert.Equal("2", cleared.ETag);
        Assert.Equal([(2, false)], await RowsAsync("cleared"));

        var fresh = await ReactivateAsync(note);
        Assert.Null(fresh.Text);
        Assert.False(fresh.RecordExists);
        Assert.Equal("2", fresh.ETag);

        await note.WriteAsync("back");
        Assert.Equal(("back", "3", true), Parts(await ReactivateAsync(note)));
    }

    [Fact]
    public async Task A_storage_that_deletes_on_clear_removes_the_row_and_a_later_write_starts_over()
    {
        var note = Grains.GetGrain<IDeletingNoteGrain>("deleted");
        await note.WriteAsync("soon gone");
        await note.WriteAsync("still here");
        await note.ClearAsync();

        Assert.Empty(await RowsAsync("deleted"));
        Assert.Equal((null, null, false), Parts(await note.ReadAsync()));

        await note.WriteAsync("again");
        Assert.Equal(("again", "1", true), Parts(await ReactivateAsync(note)));
    }

    [Fact]
    public async Task A_write_or_clear_with_a_stale_etag_fails_with_InconsistentStateException_and_changes_nothing()
    {
        var note = Grains.GetGrain<INoteGrain>("stale");
        await note.WriteAsync("mine");

        // Someone else wrote behind this activation's back (another activation during a split view, say).
        await BumpBehindTheGrainsBackAsync("stale");
        await Assert.ThrowsAsync<InconsistentStateException>(() => note.WriteAsync("lost"));
        Assert.Equal([(2, true)], await RowsAsync("stale"));

        // Orleans drops an activation whose storage call failed so; the next one reads what storage holds.
        Assert.Equal(("mine", "2", true), Parts(await note.ReadAsync()));

        await BumpBehindTheGrainsBackAsync("stale");
        await Assert.ThrowsAsync<InconsistentStateException>(() => note.ClearAsync());
        Assert.Equal([(3, true)], await RowsAsync("stale"));

        Assert.Equal(("mine", "3", true), Parts(await note.ReadAsync()));
        await note.WriteAsync("mine again");
        Assert.Equal([(4, true)], await RowsAsync("stale"));
    }

    [Fact]
    public async Task Of_two_first_writes_of_one_grain_only_the_first_lands()
    {
        var storage = _silo.Services.GetRequiredKeyedService<IGrainStorage>("store");
        var grain = GrainId.Create("note", "first-write");
        var winner = new GrainState<NoteState>(new NoteState { Text = "first" });
        var loser = new GrainState<NoteState>(new NoteState { Text = "second" });

        await storage.WriteStateAsync("race", grain, winner);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("race", grain, loser));

        Assert.Equal("1", winner.ETag);
        var read = new GrainState<NoteState>();
        await storage.ReadStateAsync("race", grain, read);
        Assert.Equal(("first", "1", true), (read.State?.Text, read.ETag, read.RecordExists));
    }

    private async Task AssertRoundTripAsync(INote note, string? extension)
    {
        var before = await note.ReadAsync();
        Assert.Equal((null, null, false), Parts(before));

        await note.WriteAsync("one");
        await note.WriteAsync("two");
        Assert.Equal("2", (await note.ReadAsync()).ETag);

        var after = await ReactivateAsync(note);
        Assert.NotEqual(before.Activation, after.Activation);
        Assert.Equal(("two", "2", true), Parts(after));
        Assert.Equal([(2, true)], await RowsAsync(extension));
    }

    private static async Task<NoteView> ReactivateAsync(INote note)
    {
        var old = (await note.ReadAsync()).Activation;
        await note.DeactivateAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var view = await note.ReadAsync();
            if (view.Activation != old)
            {
                return view;
            }

            Assert.True(DateTime.UtcNow < deadline, "The grain was not deactivated.");
            await Task.Delay(20);
        }
    }

    private async Task BumpBehindTheGrainsBackAsync(string extension) =>
        Assert.Equal(1, await Db.ExecuteAsync(
            _connectionString, "update orleans_storage set version = version + 1 where grain_id_extension = $1", extension));

    private static (string? Text, string? ETag, bool RecordExists) Parts(NoteView view) => (view.Text, view.ETag, view.RecordExists);

    /// <summary>The rows of grains with this key extension (null: integer keys without one), as (version, has payload).</summary>
    private Task<List<(int, bool)>> RowsAsync(string? extension) =>
        Db.ListAsync(
            _connectionString,
            "select version, payload is not null from orleans_storage where grain_id_extension is not distinct from $1::text",
            r => (r.GetInt32(0), r.GetBoolean(1)),
            extension);
}
