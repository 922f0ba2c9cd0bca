using Microsoft.Extensions.Time.Testing;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class IdleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_quiet_session_goes_idle_and_the_next_message_makes_it_active_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:IdleAfter"] = "00:10:00" }, clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();
        await grain.AppendAsync(Messages.Text(session.InitiatorId, "hello"));
        var touched = (await grain.GetAsync()).UpdatedAt;

        // The check runs every minute (a quarter of the spell, at most a minute): one tick falls short of the spell...
        clock.SetUtcNow(touched + TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);

        // ...and the next one, a minute later, finds the session quiet.
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await grain.GetAsync()).Status == SessionStatus.Idle, "the session is idle");

        Assert.Equal("idle", await Db.ScalarTextAsync(database.ConnectionString, "select status from chat_sessions where id = $1", session.Id));
        await grain.AppendAsync(Messages.Text(session.PeerId, "back"));
        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);
    }

    [Fact]
    public async Task A_session_with_a_reply_streaming_stays_active_until_the_reply_ends()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await ChatSilo.StartAsync(
            database.ConnectionString,
            new() { ["Sessions:ChatSession:IdleAfter"] = "00:10:00", ["Sessions:ChatSession:ReplyIdleTimeout"] = "01:00:00" },
            clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();
        var reply = await grain.StartReplyAsync(new StartReplyCommand(session.PeerId, null, null, null));

        clock.SetUtcNow(session.UpdatedAt + TimeSpan.FromMinutes(11));
        Assert.Equal(SessionStatus.Active, (await grain.GetAsync()).Status);

        await grain.StopReplyAsync(reply.Id, new StopReplyCommand(session.PeerId, null));
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(async () => (await grain.GetAsync()).Status == SessionStatus.Idle, "the session is idle");
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
