using System.Text.Json;
using Sessions.Abstractions;

namespace Sessions.Grains.Tests.Inbox;

/// <summary>The rules by which notices change an entry, without a silo: what is applied, what is ignored, what forces a reread.</summary>
public sealed class InboxNoticesTests
{
    private const string Me = "alice";
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ChatSession Session = new("s", Me, "bob", null, "chat", SessionStatus.Active, null, null, 0, null, null, T0, T0);

    [Fact]
    public void A_new_session_is_built_from_its_create_notice()
    {
        Assert.True(InboxNotices.TryApply(null, new InboxNotice(Session, null), Me, 200, out var item));

        Assert.Equal(new InboxEntry("s", SessionStatus.Active, 0, 0, 0, null, T0), item!.Entry);
    }

    [Fact]
    public void The_next_message_is_applied_and_counts_as_unread_only_from_others()
    {
        var known = Known(lastSeq: 2, unread: 1, updatedAt: T0.AddSeconds(2));

        Assert.True(InboxNotices.TryApply(known, Appended(3, "bob"), Me, 200, out var fromBob));
        Assert.True(InboxNotices.TryApply(known, Appended(3, Me), Me, 200, out var mine));

        Assert.Equal((3L, 2L, "m3", T0.AddSeconds(3)), (fromBob!.Entry.LastSeq, fromBob.Entry.UnreadCount, fromBob.Entry.LastMessage!.Preview, fromBob.Entry.LastActivityAt));
        Assert.Equal(1, mine!.Entry.UnreadCount);
    }

    [Fact]
    public void Old_and_repeated_notices_are_ignored()
    {
        var known = Known(lastSeq: 3, unread: 2, updatedAt: T0.AddSeconds(3));

        Assert.True(InboxNotices.TryApply(known, Appended(3, "bob"), Me, 200, out var repeated));
        Assert.True(InboxNotices.TryApply(known, Appended(2, "bob"), Me, 200, out var older));
        Assert.True(InboxNotices.TryApply(known, new InboxNotice(Session with { LastSeq = 3, Status = SessionStatus.Idle, UpdatedAt = T0.AddSeconds(1) }, null), Me, 200, out var staleStatus));

        Assert.Null(repeated);
        Assert.Null(older);
        Assert.Null(staleStatus);
    }

    [Fact]
    public void A_newer_status_at_the_same_seq_is_applied()
    {
        var known = Known(lastSeq: 3, unread: 2, updatedAt: T0.AddSeconds(3));

        Assert.True(InboxNotices.TryApply(known, new InboxNotice(Session with { LastSeq = 3, Status = SessionStatus.Closed, UpdatedAt = T0.AddSeconds(4) }, null), Me, 200, out var closed));

        Assert.Equal(known.Entry with { Status = SessionStatus.Closed }, closed!.Entry);
        Assert.Equal(T0.AddSeconds(4), closed.UpdatedAt);
    }

    [Fact]
    public void A_gap_or_an_unknown_session_with_messages_needs_a_reread()
    {
        var known = Known(lastSeq: 2, unread: 0, updatedAt: T0.AddSeconds(2));

        Assert.False(InboxNotices.TryApply(known, Appended(4, "bob"), Me, 200, out _));
        Assert.False(InboxNotices.TryApply(known, new InboxNotice(Session with { LastSeq = 3, UpdatedAt = T0.AddSeconds(3) }, null), Me, 200, out _));
        Assert.False(InboxNotices.TryApply(null, Appended(1, "bob"), Me, 200, out _));
    }

    private static InboxItem Known(long lastSeq, long unread, DateTimeOffset updatedAt) => new(
        new InboxEntry("s", SessionStatus.Active, lastSeq, 0, unread, new InboxMessagePreview($"id{lastSeq}", lastSeq, "bob", "text", $"m{lastSeq}", updatedAt), updatedAt),
        updatedAt);

    private static InboxNotice Appended(long seq, string sender)
    {
        var at = T0.AddSeconds(seq);
        var message = new ChatMessage($"id{seq}", "s", seq, sender, "text", JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["text"] = $"m{seq}" }), null, null, at);
        return new InboxNotice(Session with { LastSeq = seq, LastMessageId = message.Id, LastMessageAt = at, UpdatedAt = at }, message);
    }
}
