using System.Globalization;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Why a bearer token was not accepted: the authentication failure the challenge turns into its 401 problem. The
/// message is safe to log and to show; it never quotes the token.
/// </summary>
internal sealed class BearerRejection(string code, string detail) : Exception(detail)
{
    public string Code { get; } = code;

    public static BearerRejection Missing(bool queryTokenIgnored) => new(
        ProblemCodes.TokenMissing,
        queryTokenIgnored
            ? "This route needs a bearer token in the Authorization header ('Authorization: Bearer <token>'); access_token in the query is taken only by GET /ws and the event streams."
            : "This route needs a bearer token: send 'Authorization: Bearer <token>' with an admin key or a participant token.");

    public static BearerRejection Malformed(string why) => new(ProblemCodes.TokenMalformed, why);

    public static BearerRejection Unknown() =>
        new(ProblemCodes.TokenUnknown, "The bearer token is neither an admin key nor a token this service issued.");

    public static BearerRejection Revoked(string tokenId) =>
        new(ProblemCodes.TokenRevoked, $"The bearer token (id '{tokenId}') has been revoked.");

    public static BearerRejection Expired(string tokenId, DateTimeOffset at) =>
        new(ProblemCodes.TokenExpired, $"The bearer token (id '{tokenId}') expired at {at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)}.");

    /// <summary>The <c>WWW-Authenticate</c> challenge (RFC 6750 §3): no error code when no token was sent.</summary>
    public string Challenge => Code == ProblemCodes.TokenMissing
        ? "Bearer realm=\"sessions\""
        : $"Bearer realm=\"sessions\", error=\"invalid_token\", error_description=\"{Code}\"";
}
