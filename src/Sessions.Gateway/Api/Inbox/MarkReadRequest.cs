namespace Sessions.Gateway.Api.Inbox;

/// <summary>The body of <c>POST /api/sessions/{id}/read</c>: the participant has read the session up to <see cref="LastSeq"/>.</summary>
public sealed class MarkReadRequest
{
    public string? ParticipantId { get; init; }

    /// <summary>The seq of the last message read; at most the session's last_seq. A lower value than before changes nothing.</summary>
    public long? LastSeq { get; init; }
}
