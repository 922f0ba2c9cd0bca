using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// Turns a policy's <see cref="AccessDenial"/> into its problem (a 404 for a session the caller may not know of, a 403
/// <c>not-caller</c>...); every other outcome goes the framework's way (a challenge is the bearer handler's 401, a bare
/// forbid its 403 <c>admin-required</c>).
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<AccessDenial>().FirstOrDefault() is { } denial)
        {
            return ApiProblems.Of(denial.Code, denial.Message, status: denial.Status).ExecuteAsync(context);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
