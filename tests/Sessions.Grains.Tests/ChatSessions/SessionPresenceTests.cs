using Microsoft.Extensions.Time.Testing;

namespace Sessions.Grains.Tests;

public sealed class SessionPresenceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private SessionPresence NewPresence() => new(Timeout, TypingInterval, _clock);

    [Fact]
    public void The_first_beat_brings_a_member_online_and_later_ones_only_refresh_it()
    {
        var presence = NewPresence();
        Assert.True(presence.IsEmpty);

        var online = presence.Beat("alice");
        Assert.Equal(new PresenceEntry("alice", true, _clock.GetUtcNow()), online);
        Assert.False(presence.IsEmpty);

        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(presence.Beat("alice"));
        Assert.Equal(
            [new PresenceEntry("alice", true, _clock.GetUtcNow()), new PresenceEntry("bob", false, null)],
            presence.Of(["alice", "bob"]));
    }

    [Fact]
    public void A_member_silent_for_longer_than_the_timeout_expires_as_last_seen()
    {
        var presence = NewPresence();
        presence.Beat("alice");
        var aliceSeen = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromSeconds(5));
        presence.Beat("bob");

        _clock.Advance(Timeout - TimeSpan.FromSeconds(5));
        Assert.Empty(presence.Expire());

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal([new PresenceEntry("alice", false, aliceSeen)], presence.Expire());
        Assert.Empty(presence.Expire());
        Assert.Equal([true], presence.Of(["bob"]).Select(p => p.Online));

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["bob"], presence.Expire().Select(p => p.ParticipantId));
        Assert.True(presence.IsEmpty);
    }

    [Fact]
    public void Typing_starts_pass_once_per_interval_per_member_and_stops_always_pass()
    {
        var presence = NewPresence();
        Assert.True(presence.Typing("alice", true));
        Assert.False(presence.Typing("alice", true));
        Assert.True(presence.Typing("bob", true));

        _clock.Advance(TypingInterval - TimeSpan.FromTicks(1));
        Assert.False(presence.Typing("alice", true));
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(presence.Typing("alice", true));

        Assert.True(presence.Typing("alice", false));
        Assert.True(presence.Typing("alice", false));
        Assert.True(presence.Typing("alice", true));
    }

    [Fact]
    public void An_expired_member_may_type_again_at_once()
    {
        var presence = NewPresence();
        presence.Beat("alice");
        presence.Typing("alice", true);
        _clock.Advance(Timeout + TimeSpan.FromTicks(1));
        presence.Expire();

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.NotNull(presence.Beat("alice"));
        Assert.True(presence.Typing("alice", true));
    }
}
