using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests;

public sealed class TailCacheTests
{
    private static ChatMessage Message(long seq, string? clientId = null) =>
        new(Guid.NewGuid().ToString(), "s", seq, "a", "text", JsonSerializer.SerializeToElement(new { seq }), null, clientId, DateTimeOffset.UnixEpoch);

    [Fact]
    public void It_keeps_the_newest_messages_and_forgets_evicted_client_ids()
    {
        var cache = new TailCache(3);
        for (var seq = 1; seq <= 5; seq++)
        {
            cache.Add(Message(seq, $"c{seq}"));
        }

        Assert.Equal(3, cache.FirstSeq);
        Assert.Equal(5, cache.LastSeq);
        Assert.Equal([3L, 4L, 5L], cache.Range(3, 5).Select(m => m.Message.Seq));
        Assert.False(cache.Covers(2, 5));
        Assert.False(cache.TryFindByClientMessageId("c2", out _));
        Assert.True(cache.TryFindByClientMessageId("c4", out var found));
        Assert.Equal(4, found.Message.Seq);
    }

    [Fact]
    public void It_refuses_a_message_that_would_leave_a_gap()
    {
        var cache = new TailCache(3);
        cache.Reset([Message(7), Message(8)], 8);

        Assert.Throws<InvalidOperationException>(() => cache.Add(Message(10)));
        Assert.Throws<InvalidOperationException>(() => cache.Reset([Message(7)], 8));
    }
}
