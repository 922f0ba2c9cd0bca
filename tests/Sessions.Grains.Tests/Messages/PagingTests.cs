using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class PagingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Pages_read_the_same_whether_they_come_from_the_tail_cache_or_the_database()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:TailCacheSize"] = "8" });
        var (grain, session) = await silo.CreateSessionAsync();
        for (var i = 1; i <= 30; i++)
        {
            await grain.AppendAsync(Messages.Text(session.InitiatorId, $"m{i}"));
        }

        var forward = new List<long>();
        long? after = 0;
        while (after is { } cursor)
        {
            var page = await grain.ListMessagesAsync(new MessageQuery(cursor, null, 7));
            forward.AddRange(page.Messages.Select(m => m.Seq));
            after = page.NextAfterSeq;
        }

        var backward = new List<long>();
        long? before = null;
        do
        {
            var page = await grain.ListMessagesAsync(new MessageQuery(null, before, 7));
            backward.InsertRange(0, page.Messages.Select(m => m.Seq));
            before = page.NextBeforeSeq;
        }
        while (before is not null);

        var expected = Enumerable.Range(1, 30).Select(i => (long)i).ToList();
        Assert.Equal(expected, forward);
        Assert.Equal(expected, backward);
        var cached = await grain.ListMessagesAsync(new MessageQuery(null, null, 5));
        Assert.Equal(["m26", "m27", "m28", "m29", "m30"], cached.Messages.Select(m => m.Text()));
        Assert.Equal(26, cached.NextBeforeSeq);
    }

    [Fact]
    public async Task Bounds_beyond_the_log_give_empty_or_clamped_pages()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        for (var i = 1; i <= 5; i++)
        {
            await grain.AppendAsync(Messages.Text(session.InitiatorId, $"m{i}"));
        }

        Assert.Empty((await grain.ListMessagesAsync(new MessageQuery(5, null, 10))).Messages);
        Assert.Empty((await grain.ListMessagesAsync(new MessageQuery(long.MaxValue - 1, null, 10))).Messages);
        Assert.Empty((await grain.ListMessagesAsync(new MessageQuery(null, 1, 10))).Messages);
        Assert.Equal([4L, 5L], (await grain.ListMessagesAsync(new MessageQuery(null, long.MaxValue, 2))).Messages.Select(m => m.Seq));
        Assert.Equal([2L, 3L], (await grain.ListMessagesAsync(new MessageQuery(1, 4, 10))).Messages.Select(m => m.Seq));
        var badLimit = await Assert.ThrowsAsync<SessionException>(() => grain.ListMessagesAsync(new MessageQuery(null, null, 0)));
        Assert.Equal("limit", badLimit.Details["field"]);
    }
}

public sealed class WireFormPagingTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData(null, null, 5, 5)] // from the cache; next_before_seq has three digits
    [InlineData(0L, null, 3, 3)]
    [InlineData(null, 3L, 10, 2)]
    [InlineData(2L, null, 50, 50)]
    [InlineData(95L, null, 10, 10)] // from the database; seqs and next_after_seq cross 100
    [InlineData(200L, null, 10, 0)] // empty pages
    [InlineData(null, 1L, 10, 0)]
    public async Task The_wire_form_page_is_exactly_the_json_of_the_typed_page(long? after, long? before, int limit, int count)
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:TailCacheSize"] = "8" });
        var (grain, session) = await silo.CreateSessionAsync();
        for (var i = 1; i <= 120; i++)
        {
            await grain.AppendAsync(Messages.Text(session.InitiatorId, $"m{i} \"quoted\" ünïcode", clientMessageId: i % 2 == 0 ? $"c{i}" : null));
        }

        var query = new MessageQuery(after, before, limit);
        var typed = await grain.ListMessagesAsync(query);
        var wire = await grain.ListMessagesJsonAsync(query);

        Assert.Equal(count, typed.Messages.Count);
        Assert.Equal(
            System.Text.Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(typed, SessionsJsonContext.Default.MessagePage)),
            System.Text.Encoding.UTF8.GetString(wire.Utf8Json));
    }
}
