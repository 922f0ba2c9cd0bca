using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class IdleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_quiet_session_goes_idle_and_the_next_message_makes_it_active_again()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:IdleAfter"] = "00:00:01" });
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "hello"));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await grain.GetAsync()).Status != SessionStatus.Idle)
        {
            Assert.True(DateTime.UtcNow < deadline, "Still active 15 s into a quiet spell of 1 s.");
            await Task.Delay(50);
        }

        Assert.Equal("idle", await Db.ScalarTextAsync(database.ConnectionString, "select status from chat_sessions where id = $1", session.Id));
        await grain.AppendAsync(Messages.Text(session.PeerId, "back"));
        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);
    }

    [Fact]
    public async Task A_session_that_went_quiet_out_of_memory_is_idle_when_activated_again()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:IdleAfter"] = "00:05:00" });
        var (grain, session) = await silo.CreateSessionAsync();
        await silo.DeactivateAsync(grain);
        await Db.ExecuteAsync(database.ConnectionString, "update chat_sessions set updated_at = now() - interval '6 minutes' where id = $1", session.Id);

        Assert.Equal(SessionStatus.Idle, (await grain.GetAsync()).Status);
    }

    [Fact]
    public async Task Suspended_and_closed_sessions_refuse_appends_as_not_writable()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.ChangeStatusAsync(SessionStatus.Suspended);
        Assert.Equal(SessionErrors.SessionNotWritable, (await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "x")))).Code);
        await grain.ChangeStatusAsync(SessionStatus.Closed);
        Assert.Equal(SessionErrors.SessionNotWritable, (await Assert.ThrowsAsync<SessionException>(() => grain.AppendAsync(Messages.Text(session.InitiatorId, "x")))).Code);
    }
}
