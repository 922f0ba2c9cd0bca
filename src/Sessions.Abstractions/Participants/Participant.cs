using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>A human, agent or system that can take part in chat sessions.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.Participant")]
public sealed record Participant(
    [property: Id(0)] string Id,
    [property: Id(1)] ParticipantKind Kind,
    [property: Id(2)] string? DisplayName,
    [property: Id(3)] JsonElement? Metadata,
    [property: Id(4)] DateTimeOffset CreatedAt);
