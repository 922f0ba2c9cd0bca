using System.Text.Json;

namespace Sessions.Abstractions;

/// <summary>One message of a session, at its place <see cref="Seq"/> (1, 2, 3, … without gaps).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] string SessionId,
    [property: Id(2)] long Seq,
    [property: Id(3)] string SenderId,
    [property: Id(4)] string Kind,
    [property: Id(5)] JsonElement Content,
    [property: Id(6)] JsonElement? Metadata,
    [property: Id(7)] string? ClientMessageId,
    [property: Id(8)] DateTimeOffset CreatedAt);
