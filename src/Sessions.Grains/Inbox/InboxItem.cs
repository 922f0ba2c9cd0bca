using Sessions.Abstractions;
using Sessions.Storage.Inbox;

namespace Sessions.Grains;

/// <summary>
/// An inbox entry with the session's <c>updated_at</c> it reflects, which orders notices that do not move the log
/// (status changes): a notice with the same last_seq applies only if its session is newer.
/// </summary>
internal sealed record InboxItem(InboxEntry Entry, DateTimeOffset UpdatedAt)
{
    public static InboxItem From(InboxRow row, int maxPreviewLength) => new(
        new InboxEntry(
            row.SessionId,
            row.Status,
            row.LastSeq,
            row.LastReadSeq,
            row.UnreadCount,
            row.LastMessage is { } last
                ? new InboxMessagePreview(last.Id, last.Seq, last.SenderId, last.Kind, MessagePreview.Of(last.Content, maxPreviewLength), last.CreatedAt)
                : null,
            row.LastActivityAt),
        row.UpdatedAt);

    /// <summary>A session that has just been created: no messages, nothing read.</summary>
    public static InboxItem ForNewSession(ChatSession session) =>
        new(new InboxEntry(session.Id, session.Status, 0, 0, 0, null, session.CreatedAt), session.UpdatedAt);
}
