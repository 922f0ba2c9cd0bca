using Sessions.Storage.Tokens;

namespace Sessions.Gateway.Api.Tokens;

/// <summary>A token as listed: what it is and whether it still works, never its value.</summary>
/// <param name="Status"><c>active</c>, <c>expired</c> or <c>revoked</c>.</param>
public sealed record TokenView(string Id, string ParticipantId, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    public static TokenView From(ParticipantTokenRow token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var status = token.RevokedAt is not null ? "revoked" : token.ExpiresAt <= now ? "expired" : "active";
        return new TokenView(token.Id, token.ParticipantId, status, token.CreatedAt, token.ExpiresAt, token.RevokedAt);
    }
}

/// <summary>A page of a participant's tokens, oldest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record TokenList(IReadOnlyList<TokenView> Tokens, string? NextCursor);
