namespace Sessions.Abstractions;

/// <summary>
/// One session as its participant's inbox shows it. <see cref="UnreadCount"/> counts the messages after
/// <see cref="LastReadSeq"/> that others sent (a participant's own messages are never unread).
/// <see cref="LastActivityAt"/> is when the last message was stored, or when the session was created if it has none;
/// status changes do not move a session in the inbox.
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxEntry")]
public sealed record InboxEntry(
    [property: Id(0)] string SessionId,
    [property: Id(1)] SessionStatus Status,
    [property: Id(2)] long LastSeq,
    [property: Id(3)] long LastReadSeq,
    [property: Id(4)] long UnreadCount,
    [property: Id(5)] InboxMessagePreview? LastMessage,
    [property: Id(6)] DateTimeOffset LastActivityAt);
