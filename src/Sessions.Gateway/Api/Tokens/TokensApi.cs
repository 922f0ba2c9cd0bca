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
using Sessions.Gateway.Problems;
using Sessions.Gateway.Requests;
using Sessions.Gateway.Serialization;
using Sessions.Storage.Paging;
using Sessions.Storage.Participants;
using Sessions.Storage.Tokens;

namespace Sessions.Gateway.Api.Tokens;

/// <summary>
/// <c>/api/participants/{id}/tokens</c>, for admin keys only: issue a participant's bearer tokens (the value is shown in
/// the 201 and never again; only its SHA-256 is stored), list them, and revoke one. A revocation applies at once on
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
        [FromServices] ParticipantTokenStore tokens,
        [FromServices] TimeProvider clock,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
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
                expiresAt = ReadExpiry(text, clock.GetUtcNow(), errors);
                if (errors.Any)
                {
                    return ApiProblems.Validation(errors);
                }
            }
        }

        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ParticipantNotFound(id);
        }

        var token = BearerCredentials.NewToken();
        var stored = await tokens.CreateAsync(GeneratedIds.New(), id, BearerCredentials.Hash(token), expiresAt, ct).ConfigureAwait(false);
        return stored is null
            ? ParticipantNotFound(id)
            : TypedResults.Created((string?)null, new IssuedToken(stored.Id, stored.ParticipantId, token, stored.CreatedAt, stored.ExpiresAt));
    }

    public static async Task<Results<Ok<TokenList>, ProblemHttpResult>> ListAsync(
        string id,
        string? limit,
        string? cursor,
        [FromServices] ParticipantTokenStore tokens,
        [FromServices] ParticipantStore participants,
        [FromServices] TimeProvider clock,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var pageSize = QueryValues.Limit(limit, limits.Value, errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }

        if (!RequestRules.IsValidId(id, limits.Value) || await participants.GetAsync(id, ct).ConfigureAwait(false) is null)
        {
            return ParticipantNotFound(id);
        }

        try
        {
            var page = await tokens.ListAsync(id, pageSize, cursor, ct).ConfigureAwait(false);
            var now = clock.GetUtcNow();
            return TypedResults.Ok(new TokenList([.. page.Tokens.Select(t => TokenView.From(t, now))], page.NextCursor));
        }
        catch (InvalidCursorException e)
        {
            return ApiProblems.Validation("cursor", e.Message);
        }
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string id,
        string tokenId,
        [FromServices] ParticipantTokenStore tokens,
        [FromServices] ParticipantStore participants,
        [FromServices] TokenLookup lookup,
        [FromServices] ConnectionTokens connections,
        [FromServices] IOptions<LimitsOptions> limits,
        CancellationToken ct)
    {
        if (!RequestRules.IsValidId(id, limits.Value))
        {
            return ParticipantNotFound(id);
        }

        var hash = RequestRules.IsValidId(tokenId, limits.Value) ? await tokens.RevokeAsync(id, tokenId, ct).ConfigureAwait(false) : null;
        if (hash is null)
        {
            return await participants.GetAsync(id, ct).ConfigureAwait(false) is null
                ? ParticipantNotFound(id)
                : ApiProblems.Of(ProblemCodes.TokenNotFound, $"Participant '{id}' has no token '{tokenId}'.");
        }

        lookup.Forget(hash);
        connections.End(tokenId, ConnectionTokens.TokenRevoked);
        return TypedResults.NoContent();
    }

    /// <summary>An RFC 3339 date-time with an offset, after <paramref name="now"/>; null (and an error) otherwise.</summary>
    private static DateTimeOffset? ReadExpiry(string text, DateTimeOffset now, ValidationErrors errors)
    {
        if (!Rfc3339().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
        {
            errors.Add("expires_at", "expires_at must be an RFC 3339 date-time with an offset, such as 2030-01-01T00:00:00Z.");
            return null;
        }

        if (at <= now)
        {
            errors.Add("expires_at", "expires_at must be in the future.");
            return null;
        }

        return at;
    }

    private static ProblemHttpResult ParticipantNotFound(string id) =>
        ApiProblems.Of(SessionErrors.ParticipantNotFound, $"Participant '{id}' does not exist.", status: StatusCodes.Status404NotFound);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
