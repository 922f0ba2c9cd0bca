namespace Sessions.Grains.Tests.Participants;

/// <summary>The listing of every participant through the stateless directory grain: pages, limits and cursors.</summary>
public sealed class ParticipantDirectoryGrainTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private IParticipantDirectoryGrain Directory => fixture.Silo.Grains.GetGrain<IParticipantDirectoryGrain>(0);

    [Fact]
    public async Task Pages_walk_every_participant_by_ascending_id_without_repeats()
    {
        var prefix = $"list-{Guid.NewGuid():N}";
        foreach (var suffix in new[] { "c", "a", "e", "b", "d" })
        {
            await fixture.Silo.Participants.TryInsertAsync($"{prefix}-{suffix}", ParticipantKind.Human, null, null, CancellationToken.None);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Directory.ListAsync(new PageQuery(cursor, 2));
            Assert.InRange(page.Participants.Count, 1, 2);
            seen.AddRange(page.Participants.Select(p => p.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(seen.Order(StringComparer.Ordinal).Distinct(), seen);
        Assert.Equal(["a", "b", "c", "d", "e"], seen.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)).Select(id => id[^1..]));
    }

    [Fact]
    public async Task Without_a_limit_a_page_has_the_default_size()
    {
        for (var i = 0; i <= fixture.Limits.DefaultPageSize; i++)
        {
            await fixture.Silo.Participants.TryInsertAsync($"many-{Guid.NewGuid():N}", ParticipantKind.Human, null, null, CancellationToken.None);
        }

        var page = await Directory.ListAsync(new PageQuery());

        Assert.Equal(fixture.Limits.DefaultPageSize, page.Participants.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(501)]
    public async Task A_limit_out_of_range_is_a_validation_error_on_limit(int limit)
    {
        var error = await Assert.ThrowsAsync<SessionException>(() => Directory.ListAsync(new PageQuery(null, limit)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(["limit"], error.Fields.Keys);
        Assert.Equal($"limit must be an integer from 1 to {fixture.Limits.MaxPageSize}.", error.Message);
    }

    [Theory]
    [InlineData("not-a-cursor!")]
    [InlineData("")]
    [InlineData("VDAwMDAwMDAwMA")] // a cursor of the session listing (tag T)
    [InlineData("SQA")] // tag I and a NUL: no stored id holds one
    public async Task A_cursor_this_listing_did_not_issue_is_a_validation_error_on_cursor(string cursor)
    {
        var error = await Assert.ThrowsAsync<SessionException>(() => Directory.ListAsync(new PageQuery(cursor, 5)));

        Assert.Equal(SessionErrors.Validation, error.Code);
        Assert.Equal(["cursor"], error.Fields.Keys);
    }
}
