using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// The route's participant (<c>{id}</c>) is the caller (an admin key may name anyone). Refused with 403
/// <c>not-caller</c>, or, where <paramref name="hidden"/>, with the 404 of a participant that does not exist. Either
/// answer is the same whether that participant exists or not.
/// </summary>
public sealed class SelfRequirement(bool hidden) : AuthorizationHandler<SelfRequirement>, IAuthorizationRequirement
{
    public bool Hidden { get; } = hidden;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SelfRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (Caller.From(context.User) is not { } caller || context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        var participantId = http.GetRouteValue("id") as string;
        if (caller.IsAdmin || (participantId is not null && participantId == caller.ParticipantId))
        {
            context.Succeed(requirement);
        }
        else if (requirement.Hidden)
        {
            context.Fail(new AccessDenial(this, SessionErrors.ParticipantNotFound, $"Participant '{participantId}' does not exist.", StatusCodes.Status404NotFound));
        }
        else
        {
            context.Fail(new AccessDenial(this, ProblemCodes.NotCaller, CallerIdentity.NotCallerDetail("id", participantId, caller)));
        }

        return Task.CompletedTask;
    }
}
