using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Authorization;
using Sessions.Gateway.Calls;
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;

namespace Sessions.Gateway.Api.Tokens;

/// <summary>
/// <c>/api/participants/{id}/tokens</c>, for admin keys only: the participant's grain issues its bearer tokens (the value
/// is shown in the 201 and never again; only its SHA-256 is stored), lists them, and revokes one. A revocation applies at once on
/// this gateway (its cache forgets the token, its connections holding it close) and on the others within
/// <see cref="AuthOptions.TokenCacheDuration"/> (requests) and <see cref="AuthOptions.ConnectionCheckInterval"/> (connections).
/// </summary>
public static partial class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("api/participants/{id}/tokens").WithTags("Tokens").RequireAuthorization(AuthPolicies.Admin);
        api.MapPost("", IssueAsync)
            .Accepts<IssueTokenRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesRequestProblems();
        api.MapGet("", ListAsync).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapDelete("{tokenId}", RevokeAsync).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Results<Created<IssuedToken>, ProblemHttpResult>> IssueAsync(
        string id,
        HttpRequest request,
        [FromServices] JsonRequestBody body,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        DateTimeOffset? expiresAt = null;

        // The body is optional: a bare POST issues a token that does not expire.
        if (request.ContentLength > 0 || request.ContentType is not null || request.Headers.TransferEncoding.Count > 0)
        {
            var read = await body.ReadAsync(request, GatewayJsonContext.Default.IssueTokenRequest).ConfigureAwait(false);
            if (read.Problem is { } problem)
            {
                return problem;
            }

            if (read.Value!.ExpiresAt is { } text)
            {
                var errors = new ValidationErrors();
                expiresAt = ReadExpiry(text, errors);
                if (errors.Any)
                {
                    return ApiProblems.Validation(errors);
                }
            }
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        try
        {
            var issued = await calls.Get<IParticipantGrain>(id).IssueTokenAsync(new IssueTokenCommand(expiresAt)).ConfigureAwait(false);
            return TypedResults.Created((string?)null, issued);
        }
        catch (SessionException e) when (e.Code == SessionErrors.ParticipantNotFound)
        {
            return ApiProblems.ParticipantNotFound(id);
        }
    }

    public static async Task<Results<Ok<TokenPage>, ProblemHttpResult>> ListAsync(
        string id,
        string? limit,
        string? cursor,
        [FromServices] GrainCalls calls,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        var errors = new ValidationErrors();
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        try
        {
            var query = new PageQuery(cursor, pageSize);
            return TypedResults.Ok(await calls.RetrySafeAsync(() => calls.Get<IParticipantGrain>(id).ListTokensAsync(query)).ConfigureAwait(false));
        }
        catch (SessionException e) when (e.Code == SessionErrors.ParticipantNotFound)
        {
            return ApiProblems.ParticipantNotFound(id);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id,
        string tokenId,
        [FromServices] GrainCalls calls,
        [FromServices] TokenLookup lookup,
        [FromServices] ConnectionTokens connections,
        [FromServices] IOptions<LimitsOptions> limits)
    {
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        try
        {
            // A revocation is retry-safe: revoking twice keeps the first time.
            await calls.RetrySafeAsync(() => calls.Get<IParticipantGrain>(id).RevokeTokenAsync(tokenId)).ConfigureAwait(false);
        }
        catch (SessionException e) when (e.Code == SessionErrors.ParticipantNotFound)
        {
            return ApiProblems.ParticipantNotFound(id);
        }

        // At once on this gateway; the others see it within their cache duration and connection check interval.
        lookup.Forget(tokenId);
        connections.End(tokenId, ConnectionTokens.TokenRevoked);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// An RFC 3339 date-time with an offset; null (and an error) otherwise. Whether it is in the future is the grain's
    /// rule, for every caller.
    /// </summary>
    private static DateTimeOffset? ReadExpiry(string text, ValidationErrors errors)
    {
        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add("expires_at", "expires_at must be an RFC 3339 date-time with an offset, such as 2030-01-01T00:00:00Z.");
            return null;
        }

        return at;
    }

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
