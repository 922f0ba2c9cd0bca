using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>A human, agent or system that can take part in chat sessions.</summary>
public sealed record Participant(
    string Id,
    ParticipantKind Kind,
    string? DisplayName,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt);
