using Sessions.Abstractions;
using Sessions.Gateway.Realtime;
using Xunit;

namespace Sessions.Gateway.Tests.Realtime;

/// <summary>Which inbox deltas a connection passes on: what is news per session, whatever order they arrive in.</summary>
public sealed class InboxTopicTests
{
    [Fact]
    public void A_delta_about_one_session_does_not_hide_an_older_numbered_one_about_another()
    {
        var topic = new InboxTopic("alice", null!);
        topic.SnapshotWritten(10);

        // Orleans delivered v12 (session s) before v11 (session t): both are news.
        Assert.True(topic.Accept(Delta(12, "s")));
        Assert.True(topic.Accept(Delta(11, "t")));
        Assert.Equal(12, topic.LastVersion);

        // What the client already has is not sent again: a repeat, an older change of s, anything the snapshot covered.
        Assert.False(topic.Accept(Delta(12, "s")));
        Assert.False(topic.Accept(Delta(11, "s")));
        Assert.False(topic.Accept(Delta(9, "u")));
        Assert.True(topic.Accept(Delta(13, "s")));
    }

    [Fact]
    public void A_newer_snapshot_starts_the_count_again()
    {
        var topic = new InboxTopic("alice", null!);
        topic.SnapshotWritten(10);
        Assert.True(topic.Accept(Delta(11, "s")));

        topic.SnapshotWritten(20);
        Assert.Equal(20, topic.LastVersion);
        Assert.False(topic.Accept(Delta(15, "t")));
        Assert.True(topic.Accept(Delta(21, "s")));
    }

    private static InboxDelta Delta(long version, string sessionId) =>
        new("alice", version, new InboxEntry(sessionId, SessionStatus.Active, 1, 0, 1, null, DateTimeOffset.UnixEpoch));
}
