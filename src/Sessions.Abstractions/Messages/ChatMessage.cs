using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>One message of a session, at its place <see cref="Seq"/> (1, 2, 3, … without gaps).</summary>
public sealed record ChatMessage(
    string Id,
    string SessionId,
    long Seq,
    string SenderId,
    string Kind,
    JsonElement Content,
    JsonElement? Metadata,
    string? ClientMessageId,
    DateTimeOffset CreatedAt);
