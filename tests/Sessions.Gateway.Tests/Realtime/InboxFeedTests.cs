using Sessions.Abstractions;
using Sessions.Gateway.Realtime;
using Xunit;

namespace Sessions.Gateway.Tests.Realtime;

/// <summary>When a gateway's inbox feed resyncs its subscribers: deltas skipped and never made up for.</summary>
public sealed class InboxFeedTests
{
    [Fact]
    public async Task A_delta_that_never_came_makes_the_next_renewal_resync_even_at_the_same_version()
    {
        var (feed, sink) = Attached(version: 10);
        await feed.OnInboxChangedAsync(Delta(12)); // 11 is skipped

        feed.OnSnapshot(Snapshot(12));

        Assert.Equal([12L], sink.Resyncs);
        Assert.Equal([true], sink.Repairs);
    }

    [Fact]
    public async Task A_late_delta_fills_its_gap_and_the_renewal_has_nothing_to_resync()
    {
        var (feed, sink) = Attached(version: 10);
        await feed.OnInboxChangedAsync(Delta(12));
        await feed.OnInboxChangedAsync(Delta(11)); // late, not lost

        feed.OnSnapshot(Snapshot(12));

        Assert.Empty(sink.Resyncs);
        Assert.Equal([12L, 11L], sink.Deltas);
    }

    [Fact]
    public void A_renewal_newer_than_every_delta_resyncs()
    {
        var (feed, sink) = Attached(version: 10);

        feed.OnSnapshot(Snapshot(14));

        Assert.Equal([14L], sink.Resyncs);
        Assert.Equal([false], sink.Repairs);
    }

    private static (InboxFeed Feed, RecordingSink Sink) Attached(long version)
    {
        var feed = new InboxFeed("alice");
        feed.OnSnapshot(Snapshot(version)); // the subscription's own snapshot, before any subscriber
        var sink = new RecordingSink();
        feed.Add(sink);
        return (feed, sink);
    }

    private static InboxSnapshot Snapshot(long version) => new("alice", version, [], null);

    private static InboxDelta Delta(long version) =>
        new("alice", version, new InboxEntry("s", SessionStatus.Active, 1, 0, 1, null, DateTimeOffset.UnixEpoch));

    private sealed class RecordingSink : IInboxSink
    {
        public List<long> Deltas { get; } = [];

        public List<long> Resyncs { get; } = [];

        public List<bool> Repairs { get; } = [];

        public void OnDelta(InboxDelta delta) => Deltas.Add(delta.Version);

        public void OnResync(InboxSnapshot snapshot, bool repair)
        {
            Resyncs.Add(snapshot.Version);
            Repairs.Add(repair);
        }
    }
}
