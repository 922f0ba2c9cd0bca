using Sessions.Abstractions;

namespace Sessions.Storage.Inbox;

/// <summary>
/// One session as a participant's inbox is built from it, read in one snapshot: the log head, the participant's read
/// cursor (0 without one), the unread messages others sent after it, and the last message.
/// <see cref="LastActivityAt"/> is the last message's created_at, or the session's if it has none.
/// </summary>
public sealed record InboxRow(
    string SessionId,
    SessionStatus Status,
    long LastSeq,
    long LastReadSeq,
    long UnreadCount,
    InboxRowMessage? LastMessage,
    DateTimeOffset LastActivityAt,
    DateTimeOffset UpdatedAt);
