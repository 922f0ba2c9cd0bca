using Microsoft.AspNetCore.Authorization;
using Sessions.Abstractions;
using Sessions.Gateway.Authentication;
using Sessions.Gateway.Problems;

namespace Sessions.Gateway.Authorization;

/// <summary>
/// <c>/metrics</c>: an admin key, or the token of a <c>system</c> participant, so that a scraper needs no admin key
/// (the metrics are counts of the cluster, nothing of a session).
/// </summary>
public sealed class MetricsReaderRequirement : AuthorizationHandler<MetricsReaderRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsReaderRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Caller.From(context.User) is not { } caller)
        {
            return Task.CompletedTask;
        }

        if (caller.IsAdmin || caller.ParticipantKind == ParticipantKind.System)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AccessDenial(this, ProblemCodes.MetricsReaderRequired, "Metrics are for admin keys and system participants' tokens."));
        }

        return Task.CompletedTask;
    }
}
