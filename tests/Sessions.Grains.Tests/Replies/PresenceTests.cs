using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class PresenceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Typing_starts_are_rate_limited_per_participant_and_stops_always_pass()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new() { ["Sessions:ChatSession:TypingInterval"] = "00:01:00" });
        var (grain, session) = await silo.CreateSessionAsync();

        Assert.True(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.False(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.True(await grain.SetTypingAsync(session.PeerId, true));
        Assert.True(await grain.SetTypingAsync(session.InitiatorId, false));
        Assert.True(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.Equal(SessionErrors.SenderNotParticipant, (await Assert.ThrowsAsync<SessionException>(() => grain.SetTypingAsync("stranger", true))).Code);
    }

    [Fact]
    public async Task A_member_is_online_after_a_heartbeat_and_offline_once_the_timeout_passes_without_one()
    {
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, new()
        {
            ["Sessions:ChatSession:PresenceTimeout"] = "00:00:01",
            ["Sessions:ChatSession:HousekeepingPeriod"] = "00:00:00.200",
        });
        var (grain, session) = await silo.CreateSessionAsync();

        var afterBeat = await grain.HeartbeatAsync(session.PeerId);
        Assert.True(afterBeat.Single(p => p.ParticipantId == session.PeerId).Online);
        Assert.False(afterBeat.Single(p => p.ParticipantId == session.InitiatorId).Online);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await grain.GetPresenceAsync()).Single(p => p.ParticipantId == session.PeerId).Online)
        {
            Assert.True(DateTime.UtcNow < deadline, "Still online 15 s after the last heartbeat (timeout 1 s).");
            await Task.Delay(50);
        }
    }
}
