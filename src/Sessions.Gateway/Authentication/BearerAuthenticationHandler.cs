using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authentication;

/// <summary>Options of the bearer scheme; everything it needs is in <see cref="AuthOptions"/> and <see cref="AdminKeys"/>.</summary>
public sealed class BearerAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// The <c>Bearer</c> scheme: an admin key (compared in fixed time, <see cref="AdminKeys"/>) or a participant token
/// (found by its SHA-256, <see cref="TokenLookup"/>) from <c>Authorization: Bearer …</c>, or from <c>?access_token=</c>
/// on the routes that take it (<see cref="QueryAccessToken"/>). No token is no result (the route's policy then
/// challenges); a token that is not accepted fails with a <see cref="BearerRejection"/>, which the challenge answers as
/// a 401 problem with its own code and a <c>WWW-Authenticate</c> header.
/// </summary>
internal sealed partial class BearerAuthenticationHandler(
    IOptionsMonitor<BearerAuthenticationOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    AdminKeys adminKeys,
    TokenLookup tokens)
    : AuthenticationHandler<BearerAuthenticationOptions>(options, loggers, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (credential, malformed) = ReadCredential();
        if (malformed is not null)
        {
            return Reject(malformed);
        }

        if (credential is null)
        {
            return AuthenticateResult.NoResult();
        }

        var hash = BearerCredentials.Hash(credential);
        if (adminKeys.Match(hash) is { } keyId)
        {
            return Accept(Caller.Admin(keyId));
        }

        if (!ParticipantTokens.LooksLikeToken(credential))
        {
            return Reject(BearerRejection.Unknown());
        }

        if (!ParticipantTokens.IsWellFormed(credential))
        {
            return Reject(BearerRejection.Malformed($"A participant token is '{ParticipantTokens.Prefix}' followed by 43 base64url characters; this one is not."));
        }

        var holder = await tokens.FindAsync(hash).ConfigureAwait(false);
        if (holder is null)
        {
            return Reject(BearerRejection.Unknown());
        }

        if (holder.RevokedAt is not null)
        {
            return Reject(BearerRejection.Revoked(holder.TokenId));
        }

        if (holder.ExpiresAt is { } expiresAt && expiresAt <= TimeProvider.GetUtcNow())
        {
            return Reject(BearerRejection.Expired(holder.TokenId, expiresAt));
        }

        return Accept(Caller.Participant(holder));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var rejection = result.Failure as BearerRejection ?? BearerRejection.Missing(queryTokenIgnored: Context.Features.Get<QueryAccessToken>() is not null);
        Response.Headers.WWWAuthenticate = rejection.Challenge;
        await ApiProblems.Of(rejection.Code, rejection.Message).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Of(ProblemCodes.AdminRequired, "This route is for admin keys only; a participant token cannot use it.").ExecuteAsync(Context);

    /// <summary>The credential sent, from the header or (where the route takes it) the query; or why it is malformed.</summary>
    private (string? Credential, BearerRejection? Malformed) ReadCredential()
    {
        string credential;
        var headers = Request.Headers.Authorization;
        if (headers.Count > 1)
        {
            return (null, BearerRejection.Malformed("Send one Authorization header."));
        }

        if (headers.Count == 1)
        {
            var header = headers[0] ?? "";
            var space = header.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0 || !header.AsSpan(0, space).Equals(SchemeName, StringComparison.OrdinalIgnoreCase))
            {
                return (null, BearerRejection.Malformed("The Authorization header must be 'Bearer <token>'."));
            }

            credential = header[(space + 1)..].TrimStart(' ');
        }
        else if (Context.Features.Get<QueryAccessToken>() is { } query
            && Context.GetEndpoint()?.Metadata.GetMetadata<AcceptsQueryAccessTokenMetadata>() is not null)
        {
            if (query.Count > 1)
            {
                return (null, BearerRejection.Malformed($"Send one {QueryAccessToken.ParameterName} parameter."));
            }

            credential = query.Token;
        }
        else
        {
            return (null, null);
        }

        return BearerCredentials.IsToken68(credential)
            ? (credential, null)
            : (null, BearerRejection.Malformed($"A bearer token is 1 to {BearerCredentials.MaxLength} characters of letters, digits and - . _ ~ + / (then any '=')."));
    }

    private AuthenticateResult Accept(Caller caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName), SchemeName));

    private AuthenticateResult Reject(BearerRejection rejection)
    {
        LogRejected(Logger, rejection.Code, Request.Method, Request.Path);
        return AuthenticateResult.Fail(rejection);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Bearer token not accepted ({Code}) for {Method} {Path}")]
    private static partial void LogRejected(ILogger logger, string code, string method, PathString path);
}
