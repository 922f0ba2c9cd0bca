using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>A conversation between exactly two participants, with an optional agent.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ChatSession")]
public sealed record ChatSession(
    [property: Id(0)] string Id,
    [property: Id(1)] string InitiatorId,
    [property: Id(2)] string PeerId,
    [property: Id(3)] string? AgentId,
    [property: Id(4)] string Kind,
    [property: Id(5)] SessionStatus Status,
    [property: Id(6)] JsonElement? Metadata,
    [property: Id(7)] string? TaskId,
    [property: Id(8)] long LastSeq,
    [property: Id(9)] string? LastMessageId,
    [property: Id(10)] DateTimeOffset? LastMessageAt,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset UpdatedAt)
{
    /// <summary>True when <paramref name="participantId"/> is the initiator, the peer or the agent.</summary>
    public bool HasParticipant(string participantId) =>
        participantId == InitiatorId || participantId == PeerId || participantId == AgentId;
}
