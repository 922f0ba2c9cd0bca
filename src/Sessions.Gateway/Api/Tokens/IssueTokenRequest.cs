namespace Sessions.Gateway.Api.Tokens;

/// <summary>The (optional) body of <c>POST /api/participants/{id}/tokens</c>.</summary>
public sealed class IssueTokenRequest
{
    /// <summary>
    /// When the token stops working: an RFC 3339 time with its offset (<c>2030-01-01T00:00:00Z</c>), in the future;
    /// absent or null for a token that works until it is revoked. A string, not a date, so that a time without an
    /// offset is refused rather than read in the server's time zone.
    /// </summary>
    public string? ExpiresAt { get; init; }
}
