using System.Buffers.Text;

namespace Sessions.Grains.Tests.Agents;

/// <summary>Listing every registration through the agent directory, in pages of at most 3 (2 by default).</summary>
public sealed class AgentDirectoryTests(SmallPagesSiloFixture fixture) : IClassFixture<SmallPagesSiloFixture>
{
    private const string Url = "https://93.184.215.14/hook";

    private IAgentDirectoryGrain Directory => fixture.Grains.GetGrain<IAgentDirectoryGrain>(0);

    [Fact]
    public async Task Paging_walks_every_agent_once_by_ascending_id_with_effective_settings()
    {
        var prefix = $"dir-{Guid.NewGuid():N}"[..12];
        var ids = new[] { "e", "a", "d", "b", "c" }.Select(suffix => $"{prefix}-{suffix}").ToList();
        foreach (var id in ids)
        {
            await fixture.Grains.GetGrain<IAgentGrain>(id).RegisterAsync(new RegisterAgentCommand(Url, Settings: new() { MaxAttempts = Change<long?>.To(3) }));
        }

        var pages = new List<AgentPage>();
        string? cursor = null;
        do
        {
            var page = await Directory.ListAsync(new PageQuery(cursor, 3));
            pages.Add(page);
            cursor = page.NextCursor;
            Assert.True(pages.Count < 1000, "The walk does not end.");
        }
        while (cursor is not null);

        var all = pages.SelectMany(page => page.Agents).ToList();
        Assert.All(pages, page => Assert.InRange(page.Agents.Count, 0, 3));
        Assert.Equal(all.Select(agent => agent.Id).Order(StringComparer.Ordinal), all.Select(agent => agent.Id));
        var mine = all.Where(agent => agent.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), mine.Select(agent => agent.Id));
        Assert.All(mine, agent => Assert.Equal((3, 10_000L, AgentStatus.Enabled), (agent.MaxAttempts, agent.TimeoutMs, agent.Status)));
    }

    [Fact]
    public async Task Without_a_limit_a_page_has_the_default_size()
    {
        for (var i = 0; i < SmallPagesSiloFixture.DefaultPageSize + 1; i++)
        {
            await fixture.Grains.GetGrain<IAgentGrain>($"default-{Guid.NewGuid():N}").RegisterAsync(new RegisterAgentCommand(Url));
        }

        var page = await Directory.ListAsync(new PageQuery());

        Assert.Equal(SmallPagesSiloFixture.DefaultPageSize, page.Agents.Count);
        Assert.NotNull(page.NextCursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(SmallPagesSiloFixture.MaxPageSize + 1)]
    public async Task A_limit_out_of_range_is_refused_by_name(int limit)
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Directory.ListAsync(new PageQuery(Limit: limit)));

        Assert.Equal(SessionErrors.Validation, refused.Code);
        Assert.Equal($"limit must be an integer from 1 to {SmallPagesSiloFixture.MaxPageSize}.", Assert.Single(refused.Fields["limit"]));
    }

    [Theory]
    [InlineData("%%%")]
    [InlineData("")]
    [InlineData("SQ")] // the id tag alone: no id after it
    public async Task A_malformed_cursor_is_refused_by_name(string cursor)
    {
        var refused = await Assert.ThrowsAsync<SessionException>(() => Directory.ListAsync(new PageQuery(cursor)));

        Assert.Equal(["cursor"], refused.Fields.Keys);
    }

    [Fact]
    public async Task A_cursor_of_another_listing_is_refused_by_name()
    {
        // A delivery log cursor: its tag, then a time and a uuid.
        var deliveryCursor = Base64Url.EncodeToString([(byte)'U', .. new byte[8 + 16]]);

        var refused = await Assert.ThrowsAsync<SessionException>(() => Directory.ListAsync(new PageQuery(deliveryCursor)));

        Assert.Equal(["cursor"], refused.Fields.Keys);
    }
}
