using Sessions.Grains.Webhooks;
using Sessions.Storage.Agents;

namespace Sessions.Grains.Tests.Agents;

/// <summary>Register, get, update, rotate and delete through the agent grain, as any Orleans client calls them.</summary>
public sealed class AgentGrainTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    // A public address given literally, so no test depends on DNS.
    private const string Url = "https://93.184.215.14/hooks/agent";

    private static string NewId(string prefix = "agent") => $"{prefix}-{Guid.NewGuid():N}";

    private IAgentGrain Agent(string id) => fixture.Grains.GetGrain<IAgentGrain>(id);

    [Fact]
    public async Task Registering_a_new_agent_creates_its_participant_and_answers_the_defaults_and_the_secret()
    {
        var id = NewId();

        var registered = await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));

        var agent = registered.Agent;
        Assert.Equal((id, Url, AgentStatus.Enabled, (string?)null), (agent.Id, agent.Url, agent.Status, agent.DisabledReason));
        Assert.Equal((10_000L, 8, 1_000L, 600_000L, 0L), (agent.TimeoutMs, agent.MaxAttempts, agent.RetryBaseDelayMs, agent.RetryMaxDelayMs, agent.DebounceMs));
        Assert.Equal(new AgentHistory(AgentHistoryMode.Tail, 20), agent.History);
        Assert.Null(agent.PreviousSecretExpiresAt);
        Assert.NotNull(WebhookSecret.TryDecode(registered.Secret));
        Assert.Equal(registered.Secret, (await fixture.Agents.GetAsync(id, CancellationToken.None))!.Secret);
        Assert.Equal(ParticipantKind.Agent, (await fixture.Silo.Participants.GetAsync(id, CancellationToken.None))!.Kind);
        Assert.Equal(agent, await Agent(id).GetAsync());
    }

    [Fact]
    public async Task Registering_an_existing_agent_participant_reuses_it_and_keeps_the_given_settings_secret_and_status()
    {
        var id = NewId();
        await fixture.Silo.Participants.TryInsertAsync(id, ParticipantKind.Agent, "Helper", null, CancellationToken.None);
        var secret = WebhookSecret.Generate();
        var settings = new AgentSettingsChange
        {
            TimeoutMs = Change<long?>.To(2500),
            MaxAttempts = Change<long?>.To(3),
            RetryBaseDelayMs = Change<long?>.To(200),
            RetryMaxDelayMs = Change<long?>.To(5000),
            DebounceMs = Change<long?>.To(250),
            History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Entire, 30)),
        };

        var registered = await Agent(id).RegisterAsync(new RegisterAgentCommand(Url, secret, settings, AgentStatus.Disabled));

        var agent = registered.Agent;
        Assert.Equal(secret, registered.Secret);
        Assert.Equal((2500L, 3, 200L, 5000L, 250L), (agent.TimeoutMs, agent.MaxAttempts, agent.RetryBaseDelayMs, agent.RetryMaxDelayMs, agent.DebounceMs));
        Assert.Equal(new AgentHistory(AgentHistoryMode.Entire, 30), agent.History);
        Assert.Equal((AgentStatus.Disabled, "manual"), (agent.Status, agent.DisabledReason));
        Assert.Equal("Helper", (await fixture.Silo.Participants.GetAsync(id, CancellationToken.None))!.DisplayName);
    }

    [Fact]
    public async Task A_second_registration_is_agent_exists_and_keeps_the_first()
    {
        var id = NewId();
        var first = await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));

        var again = await Assert.ThrowsAsync<SessionException>(() => Agent(id).RegisterAsync(new RegisterAgentCommand("https://93.184.215.15/other")));

        Assert.Equal(SessionErrors.AgentExists, again.Code);
        Assert.Equal($"Agent '{id}' already has a webhook registration; change it with PUT /api/agents/{id}.", again.Message);
        var kept = await fixture.Agents.GetAsync(id, CancellationToken.None);
        Assert.Equal((Url, first.Secret), (kept!.Url, kept.Secret));
    }

    [Theory]
    [InlineData(ParticipantKind.Human, "human")]
    [InlineData(ParticipantKind.System, "system participant")]
    public async Task Only_an_agent_participant_can_have_a_webhook(ParticipantKind kind, string named)
    {
        var id = NewId(named[..5]);
        await fixture.Silo.Participants.TryInsertAsync(id, kind, null, null, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SessionException>(() => Agent(id).RegisterAsync(new RegisterAgentCommand(Url)));

        Assert.Equal(SessionErrors.ParticipantNotAgent, refused.Code);
        Assert.Equal($"Participant '{id}' is a {named}, not an agent: only agents have webhooks.", refused.Message);
        Assert.Null(await fixture.Agents.GetAsync(id, CancellationToken.None));
    }

    [Fact]
    public async Task Updating_changes_only_what_is_set_and_null_returns_a_setting_to_its_default()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url, Settings: new() { MaxAttempts = Change<long?>.To(4) }));

        var changed = await Agent(id).UpdateAsync(new UpdateAgentCommand(Settings: new() { TimeoutMs = Change<long?>.To(2500) }));
        var reset = await Agent(id).UpdateAsync(new UpdateAgentCommand(
            "https://93.184.215.15/moved",
            new AgentSettingsChange { MaxAttempts = Change<long?>.To(null), History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Last)) }));

        Assert.Equal((2500L, 4, Url), (changed.TimeoutMs, changed.MaxAttempts, changed.Url));
        Assert.Equal((2500L, 8, "https://93.184.215.15/moved"), (reset.TimeoutMs, reset.MaxAttempts, reset.Url));
        Assert.Equal(new AgentHistory(AgentHistoryMode.Last, null), reset.History);
        Assert.Equal(new AgentSettings(TimeoutMs: 2500, HistoryMode: AgentHistoryMode.Last), (await fixture.Agents.GetAsync(id, CancellationToken.None))!.Settings);
        Assert.Equal(reset, await Agent(id).GetAsync());
    }

    [Fact]
    public async Task Null_history_returns_to_the_default_and_the_same_update_twice_ends_the_same()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url, Settings: new() { History = Change<AgentHistoryChange?>.To(new AgentHistoryChange(AgentHistoryMode.Entire, 5)) }));
        var update = new UpdateAgentCommand(Settings: new() { History = Change<AgentHistoryChange?>.To(null) });

        var once = await Agent(id).UpdateAsync(update);
        var twice = await Agent(id).UpdateAsync(update);

        Assert.Equal(new AgentHistory(AgentHistoryMode.Tail, 20), once.History);
        Assert.Equal(once with { UpdatedAt = twice.UpdatedAt }, twice);
    }

    [Fact]
    public async Task Disabling_records_manual_and_enabling_clears_the_reason()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));

        var disabled = await Agent(id).UpdateAsync(new UpdateAgentCommand(Status: AgentStatus.Disabled));
        await fixture.Agents.DisableAsync(id, "gone", CancellationToken.None);
        var gone = await Agent(id).GetAsync();
        var enabled = await Agent(id).UpdateAsync(new UpdateAgentCommand(Status: AgentStatus.Enabled));

        Assert.Equal((AgentStatus.Disabled, "manual"), (disabled.Status, disabled.DisabledReason));
        Assert.Equal("gone", gone.DisabledReason);
        Assert.Equal((AgentStatus.Enabled, (string?)null), (enabled.Status, enabled.DisabledReason));
    }

    [Fact]
    public async Task Rotating_makes_a_new_secret_and_keeps_the_old_one_for_the_grace_period()
    {
        var id = NewId();
        var old = (await Agent(id).RegisterAsync(new RegisterAgentCommand(Url))).Secret;
        var before = DateTimeOffset.UtcNow;

        var rotated = await Agent(id).RotateSecretAsync(new RotateSecretCommand());

        var after = DateTimeOffset.UtcNow;
        Assert.NotNull(WebhookSecret.TryDecode(rotated.Secret));
        Assert.NotEqual(old, rotated.Secret);
        Assert.InRange(rotated.PreviousSecretExpiresAt, before.AddHours(24).AddSeconds(-1), after.AddHours(24).AddSeconds(1));
        var stored = await fixture.Agents.GetAsync(id, CancellationToken.None);
        Assert.Equal((rotated.Secret, old), (stored!.Secret, stored.PreviousSecret));
        Assert.Equal(rotated.PreviousSecretExpiresAt, (await Agent(id).GetAsync()).PreviousSecretExpiresAt);
    }

    [Fact]
    public async Task Rotating_to_a_given_secret_stores_it_and_a_malformed_one_is_refused_before_the_agent_is_looked_up()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));
        var chosen = WebhookSecret.Generate();

        var rotated = await Agent(id).RotateSecretAsync(new RotateSecretCommand(chosen));
        var malformed = await Assert.ThrowsAsync<SessionException>(() => Agent(id).RotateSecretAsync(new RotateSecretCommand("whsec_short")));
        var malformedForNobody = await Assert.ThrowsAsync<SessionException>(() => Agent(NewId()).RotateSecretAsync(new RotateSecretCommand("whsec_short")));
        var nobody = await Assert.ThrowsAsync<SessionException>(() => Agent(NewId()).RotateSecretAsync(new RotateSecretCommand()));

        Assert.Equal(chosen, rotated.Secret);
        Assert.Equal(chosen, (await fixture.Agents.GetAsync(id, CancellationToken.None))!.Secret);
        Assert.Equal(["secret"], malformed.Fields.Keys);
        Assert.Equal(["secret"], malformedForNobody.Fields.Keys);
        Assert.Equal(SessionErrors.AgentNotFound, nobody.Code);
    }

    [Fact]
    public async Task Deleting_removes_the_registration_keeps_the_participant_and_allows_a_new_one()
    {
        var id = NewId();
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));

        await Agent(id).DeleteAsync();

        Assert.Null(await fixture.Agents.GetAsync(id, CancellationToken.None));
        Assert.NotNull(await fixture.Silo.Participants.GetAsync(id, CancellationToken.None));
        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => Agent(id).GetAsync())).Code);
        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => Agent(id).DeleteAsync())).Code);
        await Agent(id).RegisterAsync(new RegisterAgentCommand(Url));
    }

    [Theory]
    [InlineData("nobody-here")]
    [InlineData("not an id")]
    [InlineData("nul\0in it")]
    public async Task An_agent_without_a_registration_is_not_found_by_every_call_but_register(string id)
    {
        var agent = Agent(id == "nobody-here" ? NewId(id) : id);

        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => agent.GetAsync())).Code);
        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => agent.UpdateAsync(new UpdateAgentCommand(Url)))).Code);
        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => agent.RotateSecretAsync(new RotateSecretCommand()))).Code);
        Assert.Equal(SessionErrors.AgentNotFound, (await Assert.ThrowsAsync<SessionException>(() => agent.DeleteAsync())).Code);
    }

    [Fact]
    public async Task A_bare_agent_participant_is_not_a_registered_agent()
    {
        var id = NewId();
        await fixture.Silo.Participants.TryInsertAsync(id, ParticipantKind.Agent, null, null, CancellationToken.None);

        var missing = await Assert.ThrowsAsync<SessionException>(() => Agent(id).GetAsync());

        Assert.Equal(SessionErrors.AgentNotFound, missing.Code);
        Assert.Equal($"No webhook is registered for agent '{id}'.", missing.Message);
    }
}
