using Sessions.Abstractions;

namespace Sessions.Storage.Inbox;

/// <summary>What an inbox compares to find the sessions it is wrong about: the head of a session and the participant's cursor.</summary>
public sealed record InboxHead(string SessionId, SessionStatus Status, long LastSeq, long LastReadSeq);
