using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sessions.Gateway.RateLimits;

/// <summary>Who a request counts as for the per-caller limits.</summary>
internal static class CallerKey
{
    /// <summary>
    /// The bearer token the request came with, as a hash (a token never sits in memory longer than the request needs,
    /// and never as a dictionary key), or the remote address when it has none.
    /// </summary>
    public static string Of(HttpContext context)
    {
        var authorization = context.Request.Headers[HeaderNames.Authorization].ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim()
            : context.Request.Query["access_token"].ToString();
        return token.Length > 0
            ? "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)), 0, 16)
            : "address:" + context.Connection.RemoteIpAddress;
    }
}
