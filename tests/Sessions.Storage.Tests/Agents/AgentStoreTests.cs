using Npgsql;
using Sessions.Abstractions;
using Sessions.Storage.Agents;
using Sessions.Storage.Paging;
using Sessions.Storage.Tests.Support;

namespace Sessions.Storage.Tests.Agents;

public sealed class AgentStoreTests(StorageDatabase database) : IClassFixture<StorageDatabase>
{
    private const string Url = "https://hooks.example.com/agent";
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private readonly AgentStore _store = new(database.DataSource);
    private readonly Seed _seed = new(database.DataSource);

    [Fact]
    public async Task Creating_an_agent_for_a_new_id_creates_its_participant_of_kind_agent()
    {
        var id = Seed.NewId("bot");
        var settings = new AgentSettings(2500, 3, 200, 5000, 250, AgentHistoryMode.Entire, 300);

        var outcome = await _store.CreateAsync(new NewAgent(id, Url, Secret, settings), CancellationToken.None);

        var created = Assert.IsType<AgentCreateOutcome.Created>(outcome);
        Assert.True(created.ParticipantCreated);
        Assert.Equal((id, Url, Secret, settings, AgentStatus.Enabled), (created.Agent.ParticipantId, created.Agent.Url, created.Agent.Secret, created.Agent.Settings, created.Agent.Status));
        Assert.Equal((null, null, null), (created.Agent.PreviousSecret, created.Agent.PreviousSecretExpiresAt, created.Agent.DisabledReason));
        Assert.Equal(created.Agent, await _store.GetAsync(id, CancellationToken.None));
        Assert.Equal(ParticipantKind.Agent, (await _seed.Participants.GetAsync(id, CancellationToken.None))!.Kind);
    }

    [Fact]
    public async Task Creating_an_agent_for_an_existing_agent_participant_reuses_it()
    {
        var id = await _seed.ParticipantAsync(ParticipantKind.Agent);

        var outcome = await _store.CreateAsync(new NewAgent(id, Url, Secret, new AgentSettings()), CancellationToken.None);

        Assert.False(Assert.IsType<AgentCreateOutcome.Created>(outcome).ParticipantCreated);
        Assert.Equal(new AgentSettings(), (await _store.GetAsync(id, CancellationToken.None))!.Settings);
    }

    [Fact]
    public async Task Creating_an_agent_for_a_human_is_refused_and_writes_nothing()
    {
        var id = await _seed.ParticipantAsync(ParticipantKind.Human);

        var outcome = await _store.CreateAsync(new NewAgent(id, Url, Secret, new AgentSettings()), CancellationToken.None);

        Assert.Equal(new AgentCreateOutcome.ParticipantNotAgent(ParticipantKind.Human), outcome);
        Assert.Null(await _store.GetAsync(id, CancellationToken.None));
        Assert.Equal(ParticipantKind.Human, (await _seed.Participants.GetAsync(id, CancellationToken.None))!.Kind);
    }

    [Fact]
    public async Task Creating_an_agent_twice_is_refused_and_keeps_the_first()
    {
        var id = Seed.NewId("twice");
        await _store.CreateAsync(new NewAgent(id, Url, Secret, new AgentSettings()), CancellationToken.None);

        var outcome = await _store.CreateAsync(new NewAgent(id, "https://other.example.com/", Secret, new AgentSettings(TimeoutMs: 5)), CancellationToken.None);

        Assert.IsType<AgentCreateOutcome.AlreadyRegistered>(outcome);
        var kept = await _store.GetAsync(id, CancellationToken.None);
        Assert.Equal((Url, new AgentSettings()), (kept!.Url, kept.Settings));
    }

    [Fact]
    public async Task Concurrent_creates_of_one_new_agent_store_it_once()
    {
        var id = Seed.NewId("race");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _store.CreateAsync(new NewAgent(id, $"{Url}/{i}", Secret, new AgentSettings()), CancellationToken.None)));

        var created = Assert.Single(outcomes.OfType<AgentCreateOutcome.Created>());
        Assert.True(created.ParticipantCreated);
        Assert.All(outcomes.Where(o => o != created), o => Assert.IsType<AgentCreateOutcome.AlreadyRegistered>(o));
        Assert.Equal(created.Agent.Url, (await _store.GetAsync(id, CancellationToken.None))!.Url);
    }

    [Fact]
    public async Task A_create_that_breaks_a_check_constraint_leaves_no_participant_behind()
    {
        var id = Seed.NewId("broken");

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            _store.CreateAsync(new NewAgent(id, Url, Secret, new AgentSettings(MaxAttempts: 101)), CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState);
        Assert.Null(await _seed.Participants.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Updating_changes_only_the_members_set_and_null_clears_a_setting()
    {
        var id = await CreateAsync(new AgentSettings(TimeoutMs: 1000, MaxAttempts: 4, HistoryCount: 7));

        var changed = await _store.UpdateAsync(id, new AgentUpdate { TimeoutMs = Change<int?>.To(2500), MaxAttempts = Change<int?>.To(null) }, CancellationToken.None);

        Assert.Equal(new AgentSettings(TimeoutMs: 2500, HistoryCount: 7), changed!.Settings);
        Assert.Equal((Url, Secret, AgentStatus.Enabled), (changed.Url, changed.Secret, changed.Status));
        var moved = await _store.UpdateAsync(id, new AgentUpdate
        {
            Url = Change<string>.To("https://moved.example.com/"),
            HistoryMode = Change<AgentHistoryMode>.To(AgentHistoryMode.Last),
            HistoryCount = Change<int?>.To(null),
        }, CancellationToken.None);
        Assert.Equal(("https://moved.example.com/", new AgentSettings(TimeoutMs: 2500, HistoryMode: AgentHistoryMode.Last)), (moved!.Url, moved.Settings));
        Assert.True(moved.UpdatedAt >= changed.UpdatedAt);
        Assert.Equal(moved, await _store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Updating_status_records_the_reason_only_while_disabled()
    {
        var id = await CreateAsync(new AgentSettings());

        var disabled = await _store.UpdateAsync(id, new AgentUpdate { Status = Change<(AgentStatus, string?)>.To((AgentStatus.Disabled, "manual")) }, CancellationToken.None);
        var enabled = await _store.UpdateAsync(id, new AgentUpdate { Status = Change<(AgentStatus, string?)>.To((AgentStatus.Enabled, "ignored")) }, CancellationToken.None);

        Assert.Equal((AgentStatus.Disabled, "manual"), (disabled!.Status, disabled.DisabledReason));
        Assert.Equal((AgentStatus.Enabled, null), (enabled!.Status, enabled.DisabledReason));
    }

    [Fact]
    public async Task Updating_an_unregistered_agent_returns_null() =>
        Assert.Null(await _store.UpdateAsync(Seed.NewId("nobody"), new AgentUpdate { TimeoutMs = Change<int?>.To(5) }, CancellationToken.None));

    [Fact]
    public async Task Disabling_records_the_reason_for_the_dispatcher()
    {
        var id = await CreateAsync(new AgentSettings());

        var disabled = await _store.DisableAsync(id, "gone", CancellationToken.None);

        Assert.Equal((AgentStatus.Disabled, "gone"), (disabled!.Status, disabled.DisabledReason));
        Assert.Equal(disabled, await _store.GetAsync(id, CancellationToken.None));
        Assert.Null(await _store.DisableAsync(Seed.NewId("nobody"), "gone", CancellationToken.None));
    }

    [Fact]
    public async Task Rotating_keeps_the_replaced_secret_until_the_grace_ends_and_only_the_latest_one()
    {
        var id = await CreateAsync(new AgentSettings());
        var second = "whsec_" + Convert.ToBase64String(new byte[32]);
        var third = "whsec_" + Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var until = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var rotated = await _store.RotateSecretAsync(id, second, until, CancellationToken.None);
        var again = await _store.RotateSecretAsync(id, third, until.AddHours(1), CancellationToken.None);

        Assert.Equal((second, Secret, until), (rotated!.Secret, rotated.PreviousSecret, rotated.PreviousSecretExpiresAt));
        Assert.Equal((third, second, until.AddHours(1)), (again!.Secret, again.PreviousSecret, again.PreviousSecretExpiresAt));
        Assert.Null(await _store.RotateSecretAsync(Seed.NewId("nobody"), third, until, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_removes_the_registration_and_keeps_the_participant()
    {
        var id = await CreateAsync(new AgentSettings());

        Assert.True(await _store.DeleteAsync(id, CancellationToken.None));

        Assert.Null(await _store.GetAsync(id, CancellationToken.None));
        Assert.NotNull(await _seed.Participants.GetAsync(id, CancellationToken.None));
        Assert.False(await _store.DeleteAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Deleting_the_participant_deletes_its_registration()
    {
        var id = await CreateAsync(new AgentSettings());

        await using (var command = database.DataSource.CreateCommand("delete from participants where id = $1"))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
            await command.ExecuteNonQueryAsync();
        }

        Assert.Null(await _store.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Listing_walks_every_registration_by_ascending_id()
    {
        var prefix = Seed.NewId("list");
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await _store.CreateAsync(new NewAgent($"{prefix}-{suffix}", Url, Secret, new AgentSettings()), CancellationToken.None);
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await _store.ListAsync(2, cursor, CancellationToken.None);
            Assert.InRange(page.Agents.Count, 1, 2);
            seen.AddRange(page.Agents.Select(agent => agent.ParticipantId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
        Assert.Equal(new[] { "a", "b", "c" }.Select(s => $"{prefix}-{s}"), seen.Where(id => id.StartsWith(prefix, StringComparison.Ordinal)));
        await Assert.ThrowsAsync<InvalidCursorException>(() => _store.ListAsync(2, "garbage!", CancellationToken.None));
    }

    private async Task<string> CreateAsync(AgentSettings settings)
    {
        var id = Seed.NewId("agent");
        Assert.IsType<AgentCreateOutcome.Created>(await _store.CreateAsync(new NewAgent(id, Url, Secret, settings), CancellationToken.None));
        return id;
    }
}
