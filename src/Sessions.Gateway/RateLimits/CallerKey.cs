using Microsoft.AspNetCore.Http;
using Sessions.Gateway.Authentication;

namespace Sessions.Gateway.RateLimits;

/// <summary>Who a request counts as for the per-caller limits.</summary>
internal static class CallerKey
{
    /// <summary>
    /// The credential the request was authenticated with (a participant token's id, an admin key's fingerprint: never
    /// the secret), so each token and each admin key has its own limits however it was sent (header or query). The
    /// limiter runs after authentication; a request it sees without a caller (none of the limited routes takes one)
    /// counts by its remote address.
    /// </summary>
    public static string Of(HttpContext context) =>
        Caller.From(context.User) is { } caller
            ? "credential:" + caller.CredentialId
            : "address:" + context.Connection.RemoteIpAddress;
}
