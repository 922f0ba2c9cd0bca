using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;

namespace Sessions.Gateway.Authentication;

/// <summary>
/// Browsers cannot set headers on a WebSocket or an <c>EventSource</c>, so <c>GET /ws</c> and the SSE routes also take
/// the token as <c>?access_token=</c>. A token in a URL would end up in every log line and trace that shows the URL
/// (ASP.NET's own "Request starting …" among them), so the parameter is taken out of the request before anything
/// sees it (<see cref="AccessTokenScrubbingServer"/>), whatever the route, and kept in a <see cref="QueryAccessToken"/>
/// feature that only routes marked with <see cref="AcceptsQueryAccessToken{TBuilder}"/> read.
/// </summary>
internal sealed class QueryAccessToken(string token, int count)
{
    public const string ParameterName = "access_token";

    /// <summary>The (first) token given.</summary>
    public string Token { get; } = token;

    /// <summary>How many <c>access_token</c> parameters the query had: more than one is malformed.</summary>
    public int Count { get; } = count;

    /// <summary>Removes every <c>access_token</c> parameter from the request (its query string and raw target).</summary>
    public static void MoveToFeature(IFeatureCollection features)
    {
        var request = features.Get<IHttpRequestFeature>();
        var query = request?.QueryString;
        if (request is null || string.IsNullOrEmpty(query) || !MayHoldToken(query))
        {
            return;
        }

        string? token = null;
        var count = 0;
        var kept = new StringBuilder(query.Length);
        var pairs = query.AsSpan(query[0] == '?' ? 1 : 0);
        foreach (var range in pairs.Split('&'))
        {
            var part = pairs[range];
            var equals = part.IndexOf('=');
            var name = equals < 0 ? part : part[..equals];
            if (Decode(name).Equals(ParameterName, StringComparison.OrdinalIgnoreCase))
            {
                token ??= equals < 0 ? "" : Decode(part[(equals + 1)..]);
                count++;
                continue;
            }

            kept.Append(kept.Length == 0 ? '?' : '&').Append(part);
        }

        if (count == 0)
        {
            return;
        }

        var scrubbed = kept.ToString();
        var targetQuery = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        if (targetQuery >= 0)
        {
            request.RawTarget = request.RawTarget[..targetQuery] + scrubbed;
        }

        request.QueryString = scrubbed;
        features.Set(new QueryAccessToken(token!, count));
    }

    // Cheap first look: the name in plain letters, or a percent-escape that might spell it.
    private static bool MayHoldToken(string query) =>
        query.Contains(ParameterName, StringComparison.OrdinalIgnoreCase) || query.Contains('%', StringComparison.Ordinal);

    private static string Decode(ReadOnlySpan<char> encoded) => Uri.UnescapeDataString(encoded.ToString().Replace('+', ' '));
}

/// <summary>Marks a route that accepts <c>?access_token=</c> (see <see cref="QueryAccessToken"/>).</summary>
internal sealed class AcceptsQueryAccessTokenMetadata
{
    public static readonly AcceptsQueryAccessTokenMetadata Instance = new();
}

internal static class QueryAccessTokenEndpointExtensions
{
    /// <summary>The route also takes its bearer token as <c>?access_token=</c>, for browsers' WebSocket and EventSource.</summary>
    public static TBuilder AcceptsQueryAccessToken<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(AcceptsQueryAccessTokenMetadata.Instance);
}
