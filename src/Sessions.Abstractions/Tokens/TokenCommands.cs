using System.Text.Json.Serialization;

namespace Sessions.Abstractions;

/// <summary>A token to issue: it stops working at <see cref="ExpiresAt"/> (which must be in the future), or never (null) until revoked.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.IssueTokenCommand")]
public sealed record IssueTokenCommand([property: Id(0)] DateTimeOffset? ExpiresAt = null);

/// <summary>A token just issued: the only time its value (<see cref="Token"/>) is ever shown.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.IssuedToken")]
public sealed record IssuedToken(
    [property: Id(0)] string Id,
    [property: Id(1)] string ParticipantId,
    [property: Id(2)] string Token,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt);

/// <summary>Whether a token still works. Written in JSON as the lower-case name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenStatus>))]
[GenerateSerializer, Alias("Sessions.TokenStatus")]
public enum TokenStatus
{
    [JsonStringEnumMemberName("active")] Active = 0,
    [JsonStringEnumMemberName("expired")] Expired = 1,
    [JsonStringEnumMemberName("revoked")] Revoked = 2,
}

/// <summary>A token as listed: what it is and whether it still works (at the time of the answer), never its value.</summary>
[GenerateSerializer, Immutable, Alias("Sessions.ParticipantToken")]
public sealed record ParticipantToken(
    [property: Id(0)] string Id,
    [property: Id(1)] string ParticipantId,
    [property: Id(2)] TokenStatus Status,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? ExpiresAt,
    [property: Id(5)] DateTimeOffset? RevokedAt);

/// <summary>A page of a participant's tokens, oldest first; pass <see cref="NextCursor"/> as the next query's cursor (null: the last page).</summary>
[GenerateSerializer, Immutable, Alias("Sessions.TokenPage")]
public sealed record TokenPage(
    [property: Id(0)] IReadOnlyList<ParticipantToken> Tokens,
    [property: Id(1)] string? NextCursor);
