using Sessions.Abstractions;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;
using Sessions.Storage.Tests.Support;
using Sessions.Testing;

namespace Sessions.Storage.Tests.Participants;

public sealed class ParticipantStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private readonly ParticipantStore _store = new(database.DataSource);

    [Fact]
    public async Task Inserting_returns_the_stored_row_with_the_database_clock()
    {
        var id = Seed.NewId("alice");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        var stored = await _store.TryInsertAsync(id, ParticipantKind.Agent, "Alice", Seed.Json("""{"team":"blue"}"""), CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal((id, ParticipantKind.Agent, "Alice"), (stored.Id, stored.Kind, stored.DisplayName));
        Assert.Equal("""{"team": "blue"}""", stored.Metadata?.GetRawText());
        Assert.InRange(stored.CreatedAt, before, DateTimeOffset.UtcNow.AddSeconds(5));
        var fetched = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal((stored.Id, stored.Kind, stored.DisplayName, stored.CreatedAt), (fetched!.Id, fetched.Kind, fetched.DisplayName, fetched.CreatedAt));
        Assert.Equal(stored.Metadata?.GetRawText(), fetched.Metadata?.GetRawText());
    }

    [Fact]
    public async Task Inserting_a_taken_id_returns_null_and_keeps_the_original()
    {
        var id = Seed.NewId("bob");
        var original = await _store.TryInsertAsync(id, ParticipantKind.Human, "Bob", null, CancellationToken.None);

        var second = await _store.TryInsertAsync(id, ParticipantKind.System, "Impostor", null, CancellationToken.None);

        Assert.Null(second);
        var kept = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal((ParticipantKind.Human, "Bob", original!.CreatedAt), (kept!.Kind, kept.DisplayName, kept.CreatedAt));
    }

    [Fact]
    public async Task Getting_an_unknown_id_returns_null() =>
        Assert.Null(await _store.GetAsync(Seed.NewId("nobody"), CancellationToken.None));

    [Fact]
    public async Task Metadata_comes_back_as_the_database_normalizes_it_and_absent_metadata_stays_absent()
    {
        var withMetadata = await _store.TryInsertAsync(Seed.NewId("m"), ParticipantKind.Human, null,
            Seed.Json("""{ "zz": [1, 2.50, {"b": true, "a": null}], "a": "é\u00e9" }"""), CancellationToken.None);
        var without = await _store.TryInsertAsync(Seed.NewId("n"), ParticipantKind.Human, null, null, CancellationToken.None);

        Assert.Equal("""{"a": "éé", "zz": [1, 2.50, {"a": null, "b": true}]}""", withMetadata!.Metadata?.GetRawText());
        Assert.Equal(withMetadata.Metadata?.GetRawText(), (await _store.GetAsync(withMetadata.Id, CancellationToken.None))!.Metadata?.GetRawText());
        Assert.Null(without!.Metadata);
        Assert.Null(without.DisplayName);
    }

    [Fact]
    public async Task Finding_missing_ids_reports_each_unknown_id_once_in_the_order_given()
    {
        var known = await new Seed(database.DataSource).ParticipantAsync();
        var (first, second) = (Seed.NewId("x"), Seed.NewId("y"));

        var missing = await _store.FindMissingAsync([second, known, first, second], CancellationToken.None);

        Assert.Equal([second, first], missing);
    }

    [Fact]
    public async Task Finding_missing_among_no_ids_finds_none() =>
        Assert.Empty(await _store.FindMissingAsync([], CancellationToken.None));

    [Fact]
    public async Task Listing_pages_through_every_participant_in_id_order()
    {
        // A database of its own: the listing covers the whole table.
        await using var dataSource = SessionsDataSource.Create(await TestPostgres.CreateDatabaseAsync("participants"));
        var store = new ParticipantStore(dataSource);
        var ids = Enumerable.Range(0, 7).Select(i => $"p{i}").Reverse().ToList();
        foreach (var id in ids)
        {
            await store.TryInsertAsync(id, ParticipantKind.Human, null, null, CancellationToken.None);
        }

        var pages = new List<ParticipantPage>();
        string? cursor = null;
        do
        {
            pages.Add(await store.ListAsync(3, cursor, CancellationToken.None));
            cursor = pages[^1].NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Participants.Count));
        Assert.Equal(ids.Order(StringComparer.Ordinal), pages.SelectMany(p => p.Participants).Select(p => p.Id));
    }

    [Fact]
    public async Task A_page_that_ends_exactly_at_the_last_row_has_no_next_cursor()
    {
        await using var dataSource = SessionsDataSource.Create(await TestPostgres.CreateDatabaseAsync("participants"));
        var store = new ParticipantStore(dataSource);
        await store.TryInsertAsync("only", ParticipantKind.Human, null, null, CancellationToken.None);

        var page = await store.ListAsync(1, null, CancellationToken.None);

        Assert.Single(page.Participants);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("")]
    [InlineData("SQ")] // the id tag and nothing after it
    public async Task Listing_rejects_a_malformed_cursor(string cursor) =>
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListAsync(10, cursor, CancellationToken.None));

    [Fact]
    public async Task Listing_rejects_a_cursor_of_the_session_listing() =>
        await Assert.ThrowsAsync<InvalidCursorException>(() =>
            _store.ListAsync(10, KeysetCursor.FromTimeAndId(DateTimeOffset.UtcNow, "p1"), CancellationToken.None));
}
