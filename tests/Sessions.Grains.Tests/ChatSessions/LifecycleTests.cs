using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class LifecycleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_new_session_is_active_at_seq_zero_and_cannot_be_created_twice()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync(withAgent: true);

        var again = await Assert.ThrowsAsync<SessionException>(() => grain.CreateAsync(new CreateSessionCommand(session.InitiatorId, session.PeerId, null, "chat", null, null)));

        Assert.Equal(SessionStatus.Active, session.Status);
        Assert.Equal(0, session.LastSeq);
        Assert.Equal("chat", session.Kind);
        Assert.NotNull(session.AgentId);
        Assert.Equal(SessionErrors.SessionAlreadyExists, again.Code);
    }

    [Fact]
    public async Task A_session_with_an_unknown_participant_or_a_non_agent_agent_is_refused_and_leaves_no_row()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (_, existing) = await silo.CreateSessionAsync();
        var id = $"s-{Guid.NewGuid():N}";

        var unknown = await Assert.ThrowsAsync<SessionException>(() =>
            silo.Session(id).CreateAsync(new CreateSessionCommand(existing.InitiatorId, "nobody-here", null, "chat", null, null)));
        var notAgent = await Assert.ThrowsAsync<SessionException>(() =>
            silo.Session(id).CreateAsync(new CreateSessionCommand(existing.InitiatorId, existing.PeerId, existing.PeerId, "chat", null, null)));
        var self = await Assert.ThrowsAsync<SessionException>(() =>
            silo.Session(id).CreateAsync(new CreateSessionCommand(existing.InitiatorId, existing.InitiatorId, null, "chat", null, null)));

        Assert.Equal(SessionErrors.ParticipantNotFound, unknown.Code);
        Assert.Equal("nobody-here", unknown.Details["participant_id"]);
        Assert.Equal("agent_id", notAgent.Details["field"]);
        Assert.Equal("peer_id", self.Details["field"]);
        Assert.Equal(0, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_sessions where id = $1", id));
        var missing = await Assert.ThrowsAsync<SessionException>(() => silo.Session(id).GetAsync());
        Assert.Equal(SessionErrors.SessionNotFound, missing.Code);
    }

    [Fact]
    public async Task Asking_for_a_session_that_does_not_exist_leaves_no_activation_behind()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);

        var unknown = silo.Session($"nothing-{Guid.NewGuid():N}");

        var missing = await Assert.ThrowsAsync<SessionException>(() => unknown.GetAsync());

        Assert.Equal(SessionErrors.SessionNotFound, missing.Code);
        await Eventually.TrueAsync(() => !silo.IsActive(unknown), "the activation for the unknown id goes away");
    }

    [Fact]
    public async Task Status_follows_the_state_machine_and_only_open_sessions_take_messages()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();

        Assert.Equal(SessionStatus.Suspended, (await grain.ChangeStatusAsync(SessionStatus.Suspended)).Status);
        var refused = await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "while suspended")));
        Assert.Equal(SessionErrors.SessionNotWritable, refused.Code);
        var illegal = await Assert.ThrowsAsync<SessionException>(() => grain.ChangeStatusAsync(SessionStatus.Idle));
        Assert.Equal(SessionErrors.InvalidTransition, illegal.Code);

        Assert.Equal(SessionStatus.Active, (await grain.ChangeStatusAsync(SessionStatus.Active)).Status);
        Assert.Equal(SessionStatus.Completed, (await grain.ChangeStatusAsync(SessionStatus.Completed)).Status);
        var terminal = await Assert.ThrowsAsync<SessionException>(() => grain.ChangeStatusAsync(SessionStatus.Active));
        Assert.Equal(SessionErrors.InvalidTransition, terminal.Code);
        Assert.Equal(0, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_messages where session_id = $1", session.Id));
        Assert.Equal(1, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_sessions where id = $1 and status = 'completed'", session.Id));
    }

    [Fact]
    public async Task An_append_wakes_an_idle_session()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.ChangeStatusAsync(SessionStatus.Idle);

        await grain.AppendAsync(Messages.Text(session.PeerId, "wake up"));

        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);
        Assert.Equal(1, await Db.CountAsync(database.ConnectionString, "select count(*) from chat_sessions where id = $1 and status = 'active' and last_seq = 1", session.Id));
    }

    [Fact]
    public async Task An_idle_session_deactivates_and_reactivates_with_identical_state()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:TailCacheSize"] = "16" });
        var (grain, session) = await silo.CreateSessionAsync();
        for (var i = 0; i < 25; i++)
        {
            await grain.AppendAsync(Messages.Text(i % 2 == 0 ? session.InitiatorId : session.PeerId, $"m{i}", clientMessageId: $"c{i}"));
        }

        var before = await SnapshotAsync(grain);
        await silo.DeactivateAsync(grain);
        Assert.False(silo.IsActive(grain));
        var after = await SnapshotAsync(grain);

        Assert.True(silo.IsActive(grain));
        Assert.Equal(before, after);
    }

    /// <summary>Everything a caller can see of a session, as JSON, so states compare field by field.</summary>
    private static async Task<string> SnapshotAsync(IChatSessionGrain grain)
    {
        var state = new
        {
            Session = await grain.GetAsync(),
            Tail = await grain.ListMessagesAsync(new MessageQuery(null, null, 16)),
            Everything = await grain.ListMessagesAsync(new MessageQuery(0, null, 100)),
        };
        return JsonSerializer.Serialize(state, new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() });
    }
}
