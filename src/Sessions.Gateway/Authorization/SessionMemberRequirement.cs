using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// The route's session (<c>{id}</c>) is one the caller may use (<see cref="SessionMembers"/>). Refused as
/// <c>session-not-found</c>, word for word the answer for a missing session, so a participant cannot learn which
/// session ids exist.
/// </summary>
public sealed class SessionMemberRequirement : AuthorizationHandler<SessionMemberRequirement>, IAuthorizationRequirement
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, SessionMemberRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Caller.From(context.User) is not { } caller || context.Resource is not HttpContext http)
        {
            return;
        }

        var sessionId = http.GetRouteValue("id") as string;
        if (await http.RequestServices.GetRequiredService<SessionMembers>().MayUseAsync(caller, sessionId).ConfigureAwait(false))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AccessDenial(this, SessionErrors.SessionNotFound, $"Session '{sessionId}' does not exist."));
        }
    }
}
