using System.Globalization;
using System.Security.Claims;
using Sessions.Abstractions;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Who sent a request, as authentication found it; it travels as the request's <see cref="ClaimsPrincipal"/> (so the
/// framework's authorization policies can read it) and is read back with <see cref="From"/>. Authorization decides by
/// <see cref="IsAdmin"/>, <see cref="ParticipantId"/> and <see cref="ParticipantKind"/>; per-credential limits
/// partition by <see cref="CredentialId"/>, which every caller has.
/// </summary>
/// <param name="CredentialId">The token's id, or an admin key's fingerprint (<c>admin:…</c>): never the secret itself.</param>
/// <param name="ParticipantId">The participant a token was issued to; null for an admin key.</param>
/// <param name="TokenId">The participant token's id; null for an admin key.</param>
/// <param name="ExpiresAt">When the participant token expires; null when it does not (and for admin keys).</param>
public sealed record Caller(
    bool IsAdmin,
    string CredentialId,
    string? ParticipantId,
    ParticipantKind? ParticipantKind,
    string? TokenId,
    DateTimeOffset? ExpiresAt)
{
    public const string AdminRole = "admin";
    public const string ParticipantRole = "participant";

    /// <summary>Claim types beyond the standard ones (role, name identifier).</summary>
    public const string ParticipantKindClaim = "sessions:participant_kind";
    public const string CredentialIdClaim = "sessions:credential_id";
    public const string TokenIdClaim = "sessions:token_id";
    public const string ExpiresAtClaim = "sessions:expires_at";

    public static Caller Admin(string keyId) => new(true, keyId, null, null, null, null);

    public static Caller Participant(TokenHolder token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new(false, token.TokenId, token.ParticipantId, token.ParticipantKind, token.TokenId, token.ExpiresAt);
    }

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Role, IsAdmin ? AdminRole : ParticipantRole),
            new(CredentialIdClaim, CredentialId),
        };
        if (ParticipantId is not null)
        {
            claims.Add(new(ClaimTypes.NameIdentifier, ParticipantId));
        }

        if (ParticipantKind is { } kind)
        {
            claims.Add(new(ParticipantKindClaim, kind.ToString()));
        }

        if (TokenId is not null)
        {
            claims.Add(new(TokenIdClaim, TokenId));
        }

        if (ExpiresAt is { } expiresAt)
        {
            claims.Add(new(ExpiresAtClaim, expiresAt.ToString("O", CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The caller of an authenticated request; null when the request was not authenticated (health routes).</summary>
    public static Caller? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(CredentialIdClaim) is not { } credentialId)
        {
            return null;
        }

        return new Caller(
            user.IsInRole(AdminRole),
            credentialId,
            user.FindFirstValue(ClaimTypes.NameIdentifier),
            Enum.TryParse<ParticipantKind>(user.FindFirstValue(ParticipantKindClaim), out var kind) ? kind : null,
            user.FindFirstValue(TokenIdClaim),
            DateTimeOffset.TryParse(user.FindFirstValue(ExpiresAtClaim), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null);
    }
}
