namespace Sessions.Gateway.Authentication;

/// <summary>
/// Authentication settings, bound from <c>Sessions:Auth</c>. The admin keys themselves are read once at start-up
/// (<see cref="AdminKeySource"/>) and kept only as hashes, so they are not among these options.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Sessions:Auth";

    /// <summary>
    /// How long a gateway remembers what a participant token hash stands for (or that it stands for nothing), so that
    /// not every request reads PostgreSQL. A revocation reaches every gateway within this time; on the gateway that
    /// revoked the token it applies at once. Zero looks every request up.
    /// </summary>
    /// <value>5 seconds.</value>
    public TimeSpan TokenCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many token lookups a gateway keeps at most (bogus tokens are remembered too, and must not fill memory).</summary>
    /// <value>10,000.</value>
    public int TokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// How often a gateway checks that the tokens of its open WebSocket and SSE connections are still valid (one query
    /// for all of them). A connection whose token was revoked elsewhere is closed within this time; an expiring token's
    /// connection is closed at its expiry, without waiting for a check.
    /// </summary>
    /// <value>5 seconds.</value>
    public TimeSpan ConnectionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many sessions' members a gateway remembers for authorization (members never change, so an entry is only
    /// dropped to make room); past it, a participant's request on a forgotten session asks the session's grain again.
    /// </summary>
    /// <value>100,000.</value>
    public int SessionMembersCacheSize { get; set; } = 100_000;

    internal bool IsValid() =>
        TokenCacheDuration >= TimeSpan.Zero && TokenCacheSize > 0 && ConnectionCheckInterval > TimeSpan.Zero && SessionMembersCacheSize > 0;
}
