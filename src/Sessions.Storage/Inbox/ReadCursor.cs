namespace Sessions.Storage.Inbox;

/// <summary>A participant's read cursor in a session after a move, and the messages of others still unread after it.</summary>
public sealed record ReadCursor(long LastReadSeq, long UnreadCount);
