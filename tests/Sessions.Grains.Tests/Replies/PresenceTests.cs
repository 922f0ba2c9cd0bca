using Microsoft.Extensions.Time.Testing;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class PresenceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Typing_starts_are_rate_limited_per_participant_and_stops_always_pass()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Members stay online throughout (going offline would forget when they last typed).
        await using var silo = await ChatSilo.StartAsync(
            database.ConnectionString,
            new() { ["Sessions:ChatSession:TypingInterval"] = "00:01:00", ["Sessions:ChatSession:PresenceTimeout"] = "01:00:00" },
            clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();

        Assert.True(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.False(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.True(await grain.SetTypingAsync(session.PeerId, true));
        Assert.True(await grain.SetTypingAsync(session.InitiatorId, false));
        Assert.True(await grain.SetTypingAsync(session.InitiatorId, true));
        Assert.Equal(SessionErrors.SenderNotParticipant, (await Assert.ThrowsAsync<SessionException>(() => grain.SetTypingAsync("stranger", true))).Code);

        clock.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        Assert.False(await grain.SetTypingAsync(session.InitiatorId, true));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(await grain.SetTypingAsync(session.InitiatorId, true));
    }

    [Fact]
    public async Task A_member_is_online_after_a_heartbeat_and_offline_once_the_timeout_passes_without_one()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await ChatSilo.StartAsync(database.ConnectionString, clock: clock);
        var (grain, session) = await silo.CreateSessionAsync();
        var observer = await RecordingSessionObserver.SubscribeAsync(silo, grain);

        var afterBeat = await grain.HeartbeatAsync(session.PeerId);
        var peer = afterBeat.Single(p => p.ParticipantId == session.PeerId);
        Assert.True(peer.Online);
        Assert.Equal(clock.GetUtcNow(), peer.LastSeenAt);
        Assert.False(afterBeat.Single(p => p.ParticipantId == session.InitiatorId).Online);

        // Housekeeping runs every second (the default): at exactly the timeout (30 s) the member is still online...
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await grain.GetPresenceAsync()).Single(p => p.ParticipantId == session.PeerId).Online);

        // ...and the tick after it takes the member offline, as last seen at the heartbeat, and says so.
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(async () => !(await grain.GetPresenceAsync()).Single(p => p.ParticipantId == session.PeerId).Online, "the peer is offline");
        var offline = await Eventually.ReturnsAsync(
            () => Task.FromResult(observer.Presence.FirstOrDefault(p => !p.Online)), "subscribers hear that the peer went offline");
        Assert.Equal((session.PeerId, peer.LastSeenAt), (offline.ParticipantId, offline.LastSeenAt));
    }
}
