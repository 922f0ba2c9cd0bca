using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>A conversation between exactly two participants, with an optional agent.</summary>
public sealed record ChatSession(
    string Id,
    string InitiatorId,
    string PeerId,
    string? AgentId,
    string Kind,
    SessionStatus Status,
    JsonElement? Metadata,
    string? TaskId,
    long LastSeq,
    string? LastMessageId,
    DateTimeOffset? LastMessageAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>True when <paramref name="participantId"/> is the initiator, the peer or the agent.</summary>
    public bool HasParticipant(string participantId) =>
        participantId == InitiatorId || participantId == PeerId || participantId == AgentId;
}
