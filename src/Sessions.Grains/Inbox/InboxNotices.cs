using Sessions.Abstractions;

namespace Sessions.Grains;

/// <summary>
/// How a notice from a chat session changes an inbox entry. Notices are one-way: they can arrive twice, late, out of
/// order, or not at all. So a notice is applied only when it is newer than the entry — a higher last_seq, or the same
/// last_seq with a later updated_at (a status change) — and a message only when it is the very next one (seq =
/// known last_seq + 1), since only then is the unread count right by adding one. Anything else means the inbox missed
/// something, and the entry is reread from the database.
/// </summary>
internal static class InboxNotices
{
    /// <summary>
    /// False when the entry must be reread from the database. Otherwise <paramref name="updated"/> is the entry with
    /// the notice applied, or null when the notice is not newer than <paramref name="known"/>.
    /// </summary>
    public static bool TryApply(InboxItem? known, InboxNotice notice, string participantId, int maxPreviewLength, out InboxItem? updated)
    {
        var session = notice.Session;
        updated = null;
        if (known is null)
        {
            // Only a session without messages can be built from the notice alone; a longer log needs its unread count.
            updated = session.LastSeq == 0 ? InboxItem.ForNewSession(session) : null;
            return updated is not null;
        }

        var entry = known.Entry;
        if (session.LastSeq < entry.LastSeq || (session.LastSeq == entry.LastSeq && session.UpdatedAt <= known.UpdatedAt))
        {
            return true;
        }

        if (session.LastSeq == entry.LastSeq)
        {
            updated = new InboxItem(entry with { Status = session.Status }, session.UpdatedAt);
            return true;
        }

        if (notice.Message is not { } message || message.Seq != entry.LastSeq + 1 || session.LastSeq != message.Seq)
        {
            return false;
        }

        updated = new InboxItem(
            entry with
            {
                Status = session.Status,
                LastSeq = message.Seq,
                UnreadCount = entry.UnreadCount + (message.SenderId == participantId ? 0 : 1),
                LastMessage = new InboxMessagePreview(
                    message.Id, message.Seq, message.SenderId, message.Kind, MessagePreview.Of(message.Content, maxPreviewLength), message.CreatedAt),
                LastActivityAt = message.CreatedAt,
            },
            session.UpdatedAt > known.UpdatedAt ? session.UpdatedAt : known.UpdatedAt);
        return true;
    }
}
