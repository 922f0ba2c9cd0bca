namespace Sessions.Abstractions;

/// <summary>
/// What a chat session grain tells its participants' inboxes after a commit: the session as it is now, and the message
/// it just appended (null for a create or a status change).
/// </summary>
[GenerateSerializer, Immutable, Alias("Sessions.InboxNotice")]
public sealed record InboxNotice(
    [property: Id(0)] ChatSession Session,
    [property: Id(1)] ChatMessage? Message);
